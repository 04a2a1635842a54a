/**
 * A Docker engine on a host of its own that the test reaches only through the Engine API over TCP with mutual TLS, as
 * a `docker:` target: one isolated fleet host (helpers/swarm-nodes.ts startIsolatedHosts: its own network namespace
 * and 198.18.X.11 address, its own dockerd with the test images), whose dockerd is restarted with the same flags plus
 * `-H tcp://<address>:2376 --tlsverify` and certificates made here with openssl:
 *
 *   <host dir>/tls/   ca.pem ca-key.pem           the CA that signs both sides
 *                     server.pem server-key.pem   the daemon's (subjectAltName IP:<address>, serverAuth)
 *                     client.pem client-key.pem   the client's (clientAuth): what the config's TLS variables hold
 *                     wrong-ca.pem                a CA that signed nothing here
 *
 * The restarted dockerd keeps the host's pid file and directories, so the fleet's stop() ends it, removes its
 * containers, the namespace and the bridge as for any fleet host. The Unix socket stays (the test's own look at the
 * engine: `host.docker(...)`); the runbook config names only the tcp:// endpoint.
 */
import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Fleet, type FleetHost, stopDocker } from './fleet-hosts.js';
import { startIsolatedHosts } from './swarm-nodes.js';

const run = promisify(execFile);

/** The port dockerd's TLS listener takes in the host's own network namespace (nothing else listens there). */
const TLS_PORT = 2376;

export interface TlsEngineHost {
  fleet: Fleet;
  host: FleetHost;
  /** Where the runner reaches the host: its address on the test's bridge (198.18.X.11). */
  address: string;
  /** `tcp://198.18.X.11:2376`. */
  endpoint: string;
  /** PEM texts: the CA, the client certificate and key (the config's ca-env, cert-env, key-env), a CA of no one. */
  pem: { ca: string; cert: string; key: string; wrongCa: string };
  /** Stop the engine and the host, remove everything the start made. Never throws. */
  stop(): Promise<void>;
}

async function openssl(...args: string[]): Promise<void> {
  await run('openssl', args);
}

/** A key and a certificate `out.pem` / `out-key.pem` signed by the CA in `dir`, with `ext` (an openssl extfile). */
async function leaf(dir: string, out: string, cn: string, ext: string): Promise<void> {
  const extFile = join(dir, `${out}.ext`);
  writeFileSync(extFile, `${ext}\n`);
  await openssl(
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-subj',
    `/CN=${cn}`,
    '-keyout',
    join(dir, `${out}-key.pem`),
    '-out',
    join(dir, `${out}.csr`),
  );
  await openssl(
    'x509',
    '-req',
    '-in',
    join(dir, `${out}.csr`),
    '-CA',
    join(dir, 'ca.pem'),
    '-CAkey',
    join(dir, 'ca-key.pem'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    extFile,
    '-out',
    join(dir, `${out}.pem`),
  );
}

async function selfSignedCa(dir: string, name: string, cn: string): Promise<void> {
  await openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${cn}`,
    '-keyout',
    join(dir, `${name}-key.pem`),
    '-out',
    join(dir, `${name}.pem`),
  );
}

/** GET /_ping over mutual TLS answers OK. */
function tlsPing(address: string, pem: { ca: string; cert: string; key: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: address, port: TLS_PORT, path: '/_ping', ...pem, timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve(res.statusCode === 200 && body === 'OK'));
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * dockerd of `host` again with its own flags plus the TLS listener on `address`: its argv read from /proc (the pid
 * the fleet started is dockerd itself: nsenter, unshare and sh exec it), stopped with SIGTERM, started in the same
 * network namespace. Waits until both the socket and the TLS port answer.
 */
async function restartWithTls(host: FleetHost, address: string, tls: string, pem: TlsEngineHost['pem']) {
  const argv = readFileSync(`/proc/${host.dockerdPid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  if (argv[0] !== 'dockerd') throw new Error(`${host.name}: pid ${host.dockerdPid} is not dockerd (${argv[0]})`);
  if (!host.netns) throw new Error(`${host.name} has no network namespace`);
  await stopDocker(host);
  const ctrPid = join(host.dir, 'exec/containerd/containerd.pid');
  if (existsSync(ctrPid)) rmSync(ctrPid, { force: true });
  const full = [
    ...argv,
    '-H',
    `tcp://${address}:${TLS_PORT}`,
    '--tlsverify',
    '--tlscacert',
    join(tls, 'ca.pem'),
    '--tlscert',
    join(tls, 'server.pem'),
    '--tlskey',
    join(tls, 'server-key.pem'),
  ];
  const log = openSync(host.dockerLog, 'a');
  let pid: number | undefined;
  try {
    const child = spawn('nsenter', [`--net=/run/netns/${host.netns}`, '--', ...full], {
      detached: true,
      stdio: ['ignore', log, log],
    });
    child.unref();
    pid = child.pid;
  } finally {
    closeSync(log);
  }
  (host as { dockerdPid: number }).dockerdPid = pid ?? 0;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const socket = await run('docker', ['-H', host.dockerHost, 'version', '-f', '{{.Server.Version}}']).then(
      () => true,
      () => false,
    );
    if (socket && (await tlsPing(address, pem))) return;
    if (Date.now() > deadline) {
      const tail = readFileSync(host.dockerLog, 'utf8').split('\n').slice(-8).join('\n');
      throw new Error(
        `${host.name}: dockerd did not answer on ${address}:${TLS_PORT} with TLS; its log ends:\n${tail}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Start the host and its TLS-only (for the config) engine. Throws, leaving nothing behind, when it does not start. */
export async function startTlsEngineHost(): Promise<TlsEngineHost> {
  const fleet = await startIsolatedHosts(1);
  try {
    const host = fleet.hosts[0] as FleetHost;
    const address = host.ssh.host;
    const tls = join(host.dir, 'tls');
    mkdirSync(tls, { mode: 0o700 });
    await selfSignedCa(tls, 'ca', 'runbook docker-targets test CA');
    await selfSignedCa(tls, 'wrong-ca', 'runbook docker-targets wrong CA');
    await leaf(tls, 'server', address, `subjectAltName=IP:${address}\nextendedKeyUsage=serverAuth`);
    await leaf(tls, 'client', 'runbook-docker-targets-client', 'extendedKeyUsage=clientAuth');
    const read = (name: string) => readFileSync(join(tls, name), 'utf8');
    const pem = {
      ca: read('ca.pem'),
      cert: read('client.pem'),
      key: read('client-key.pem'),
      wrongCa: read('wrong-ca.pem'),
    };
    await restartWithTls(host, address, tls, pem);
    return { fleet, host, address, endpoint: `tcp://${address}:${TLS_PORT}`, pem, stop: () => fleet.stop() };
  } catch (err) {
    await fleet.stop();
    throw err;
  }
}
