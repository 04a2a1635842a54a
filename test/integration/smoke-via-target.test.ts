/**
 * smoke-test checks `via` a target: the TCP connection is opened by sshd on the target (direct-tcpip), not by the
 * runner. The servers here tell the two apart by the owner of the peer socket in /proc/net/tcp: the sandbox's SSH
 * user for a tunnelled connection, this test's user for one from the runner.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import { sandboxSsh } from './helpers/sandbox.js';
import { closedPort } from './helpers/ssh.js';

const ssh = sandboxSsh();
const sshUid = Number(execFileSync('id', ['-u', ssh.user], { encoding: 'utf8' }).trim());
const dir = mkdtempSync(join(tmpdir(), 'smoke-via-'));

/** The uid owning the IPv4 socket whose local address is 127.0.0.1:`port` (the peer of a server's connection). */
/**
 * The uid owning the client end of a connection to our server: the ESTABLISHED /proc/net/tcp line whose local address
 * is the client's (127.0.0.1:remotePort) and whose remote address is our server's port. (A TIME_WAIT line of an
 * earlier connection on the same port shows uid 0, so state and both ends must match.)
 */
function peerUid(socket: { remotePort?: number; localPort?: number }): number | undefined {
  const hex = (p: number | undefined) => `0100007F:${(p ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  const [client, server] = [hex(socket.remotePort), hex(socket.localPort)];
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === client && fields[2] === server && fields[3] === '01') return Number(fields[7]);
  }
  return undefined;
}

const errors = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('::error::'));

describe('smoke-test via a target (SSH direct-tcpip to the sandbox sshd)', () => {
  const seen: Array<{ path: string; peerUid: number | undefined }> = [];
  const server = createHttpServer((req, res) => {
    const uid = peerUid(req.socket);
    seen.push({ path: req.url ?? '', peerUid: uid });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', peerUid: uid }));
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const run = (
    name: string,
    checks: string,
    extra: { inputs?: Record<string, string>; env?: Record<string, string> } = {},
  ) => {
    const config = join(dir, `${name}.yml`);
    writeFileSync(
      config,
      `app: shop
environments:
  sandbox:
    url: http://127.0.0.1:${port}
    targets: [{ name: web1, ssh: { host: ${ssh.host}, port: ${ssh.port}, user: ${ssh.user} } }]
smoke:
  checks:
${checks}`,
    );
    return runStep('smoke-test', {
      inputs: {
        config,
        environment: 'sandbox',
        'ssh-private-key': ssh.privateKey,
        'ssh-known-hosts': ssh.knownHosts,
        ...extra.inputs,
      },
      env: extra.env,
    });
  };

  it('opens the connection from the target: the server sees the SSH user as the peer, for checks and the sample', async () => {
    seen.length = 0;
    const r = await run(
      'ok',
      `    - { name: ready, url: "http://127.0.0.1:${port}/health", via: target, expect: { status: 200, json: { status: ok, peerUid: ${sshUid} } } }
    - { name: by name, url: /health?relative, via: web1, expect: { json: { peerUid: ${sshUid} } } }
  sample: { requests: 6, rate: 50/s, error-rate: 0 }
`,
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.passed).toBe('true');
    expect(r.stdout).toContain('smoke: checks via target connect through web1');
    const report = JSON.parse(r.outputs.report ?? '{}');
    expect(report.checks.map((c: { status: number }) => c.status)).toEqual([200, 200]);
    expect(report.sample).toMatchObject({ requests: 6, failed: 0, passed: true });
    // 2 checks + 6 sample requests of the first check, every one from the SSH user's side of sshd.
    expect(seen.map((s) => s.path).sort()).toEqual([...Array(7).fill('/health'), '/health?relative']);
    expect(sshUid).not.toBe(process.getuid?.());
    expect(new Set(seen.map((s) => s.peerUid))).toEqual(new Set([sshUid]));
  });

  it('a check via runner next to one via target still comes from the runner', async () => {
    seen.length = 0;
    const r = await run(
      'mixed',
      `    - { name: tunnel, url: /health?tunnel, via: target }\n    - { name: direct, url: /health?direct }\n`,
    );
    expect(r.code, r.stdout).toBe(0);
    const uidOf = (path: string) => seen.find((s) => s.path === path)?.peerUid;
    expect(uidOf('/health?tunnel')).toBe(sshUid);
    expect(uidOf('/health?direct')).toBe(process.getuid?.());
  });

  it('dry-run names the target a check goes through and sends nothing', async () => {
    seen.length = 0;
    const r = await run(
      'dry',
      `    - { name: ready, url: /health, via: target }\n    - { name: direct, url: /health }\n`,
      {
        inputs: { 'dry-run': 'true' },
      },
    );
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('would check ready: GET /health (via target web1)');
    expect(r.stdout).toMatch(/would check direct: GET \/health$/m);
    expect(seen).toEqual([]);
  });

  it('a via naming a target the environment lacks fails before any request, naming check, value and targets', async () => {
    seen.length = 0;
    const r = await run('unknown', `    - { name: ready, url: /health, via: web2 }\n`);
    expect(r.code).toBe(1);
    expect(errors(r.stdout)).toEqual([
      '::error::check ready: via "web2" is not a target of environment sandbox (did you mean "web1"?); expected runner, target or one of: web1',
    ]);
    expect(r.outputs.passed).toBeUndefined();
    expect(seen).toEqual([]);
  });

  it('a port nothing listens on behind the target fails the check with the refused connection', async () => {
    const closed = await closedPort();
    const r = await run('refused', `    - { name: gone, url: "http://127.0.0.1:${closed}/health", via: target }\n`);
    expect(r.code).toBe(1);
    expect(r.outputs.passed).toBe('false');
    const report = JSON.parse(r.outputs.report ?? '{}');
    expect(report.checks[0]).toMatchObject({ name: 'gone', passed: false });
    expect(report.checks[0].problems).toEqual([
      `the target (${ssh.user}@${ssh.host}:${ssh.port}) could not connect to 127.0.0.1:${closed}: Connection refused (nothing listens there)`,
    ]);
    expect(errors(r.stdout)).toEqual([expect.stringMatching(/^::error::smoke test failed: gone: .*refused/i)]);
  });

  describe('https through the tunnel', () => {
    const certDir = mkdtempSync(join(tmpdir(), 'smoke-via-tls-'));
    const cert = join(certDir, 'cert.pem');
    const key = join(certDir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-days',
        '1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const tcpPeers: Array<number | undefined> = [];
    let answered = 0;
    const tls = createHttpsServer({ cert: readFileSync(cert), key: readFileSync(key) }, (_req, res) => {
      answered++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    });
    tls.on('connection', (socket: Socket) => tcpPeers.push(peerUid(socket)));
    let tlsPort = 0;
    beforeAll(async () => {
      await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
      tlsPort = (tls.address() as AddressInfo).port;
    });
    afterAll(() => {
      tls.closeAllConnections();
      tls.close();
    });

    it('a self-signed certificate fails verification, over a connection the target opened', async () => {
      tcpPeers.length = 0;
      answered = 0;
      const r = await run(
        'tls-bad',
        `    - { name: secure, url: "https://127.0.0.1:${tlsPort}/health", via: target }\n`,
      );
      expect(r.code).toBe(1);
      expect(r.outputs.passed).toBe('false');
      const report = JSON.parse(r.outputs.report ?? '{}');
      expect(report.checks[0].problems.join(' ')).toMatch(/self-signed certificate/);
      expect(answered).toBe(0);
      expect(tcpPeers.length).toBeGreaterThan(0);
      expect(new Set(tcpPeers)).toEqual(new Set([sshUid]));
    });

    it('the same server passes once its certificate is trusted (verified against the URL host)', async () => {
      tcpPeers.length = 0;
      answered = 0;
      const r = await run(
        'tls-trusted',
        `    - { name: secure, url: "https://127.0.0.1:${tlsPort}/health", via: target, expect: { json: { status: ok } } }\n    - { name: by name, url: "https://localhost:${tlsPort}/health", via: target }\n`,
        { env: { NODE_EXTRA_CA_CERTS: cert } },
      );
      expect(r.code, r.stdout).toBe(0);
      expect(r.outputs.passed).toBe('true');
      expect(answered).toBe(2);
      expect(new Set(tcpPeers)).toEqual(new Set([sshUid]));
    });
  });
});
