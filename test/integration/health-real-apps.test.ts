/**
 * The deploy health gate (the engine driver's `gate`) against real containers on the sandbox dockerd, as real apps
 * answer: a busybox httpd CGI app whose header lines end in a bare LF, an app that answers 400 to any other Host, an
 * image without HEALTHCHECK under `container: true`, and a `container: true` app whose port has nothing listening.
 * Images are built here from runbook-test-app:base (never pulled); containers use host networking on free ports and
 * are removed afterwards, with the images. The HTTP probes also go through the sandbox sshd (direct-tcpip).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loader.js';
import { systemClock } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/log-types.js';
import { gate, type ServiceDeploy, startReplica } from '../../src/deploy/engine/replicas.js';
import { engineDeployOf, serviceSite } from '../../src/deploy/service-site.js';
import { connectDocker, type DockerClient } from '../../src/docker/index.js';
import { LocalTransport } from '../../src/transports/local.js';
import type { SshTransport } from '../../src/transports/ssh.js';
import type { Transport } from '../../src/transports/types.js';
import { captureLogger } from './helpers/capture-logger.js';
import { freePortRange } from './helpers/ports.js';
import { sandbox, sandboxPart } from './helpers/sandbox.js';
import { connectSandbox } from './helpers/ssh.js';

const RUN = randomBytes(3).toString('hex');
const APP = `rbhealth${RUN}`;
const IMAGE = `rb-health-real-apps-${RUN}`;
const docker = sandboxPart('docker');
const clientConfig = (sandbox().docker as { clientConfig?: string } | undefined)?.clientConfig;

function dockerCli(...args: string[]): string {
  return execFileSync('docker', ['-H', docker.host, ...args], {
    env: { ...process.env, DOCKER_BUILDKIT: '0', ...(clientConfig ? { DOCKER_CONFIG: clientConfig } : {}) },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** The app's files: /cgi-bin/health answers with bare-LF header lines; /cgi-bin/host-health checks the Host. */
const FILES: Record<string, string> = {
  'app/variant': 'VERSION=health\nVARIANT=normal\n',
  // busybox httpd writes the status line itself, then the CGI's header lines exactly as printed: ending in "\n".
  'www/cgi-bin/health': `#!/bin/sh\nprintf 'Content-Type: application/json\\n\\n{"status":"ok"}\\n'\n`,
  'www/cgi-bin/host-health': `#!/bin/sh
if [ "$HTTP_HOST" = api.example.test ]; then
  printf 'HTTP/1.0 200 OK\\r\\nContent-Type: application/json\\r\\n\\r\\n{"status":"ok"}\\n'
else
  printf 'HTTP/1.0 400 Bad Request\\r\\nContent-Type: application/json\\r\\n\\r\\n{"error":"unknown host %s"}\\n' "$HTTP_HOST"
fi
`,
};

/** Build `IMAGE:app` (HEALTHCHECK that always passes) and `IMAGE:no-healthcheck` (HEALTHCHECK NONE). */
function buildImages(): void {
  const dir = mkdtempSync(join(tmpdir(), 'health-real-apps-'));
  try {
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(join(dir, 'files', path, '..'), { recursive: true });
      writeFileSync(join(dir, 'files', path), text, { mode: 0o755 });
    }
    writeFileSync(
      join(dir, 'Dockerfile'),
      'FROM runbook-test-app:base\nCOPY files/ /\nHEALTHCHECK --interval=1s --timeout=1s --retries=1 CMD true\n',
    );
    dockerCli('build', '--pull=false', '-q', '-t', `${IMAGE}:app`, dir);
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${IMAGE}:app\nHEALTHCHECK NONE\n`);
    dockerCli('build', '--pull=false', '-q', '-t', `${IMAGE}:no-healthcheck`, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let engine: DockerClient;
let ssh: SshTransport;
let ports: number[] = [];

beforeAll(async () => {
  buildImages();
  engine = await connectDocker({ kind: 'unix', path: docker.socket }, captureLogger());
  ssh = (await connectSandbox()).transport;
  const [first] = await freePortRange(6);
  ports = [0, 1, 2, 3, 4, 5].map((i) => first + i);
});

afterAll(async () => {
  if (engine) {
    for (const c of await engine.listContainers({ all: true, labels: { 'io.runbook.app': APP } })) {
      await engine.removeContainer(c.id, { force: true }).catch(() => undefined);
    }
    await engine.close();
  }
  await ssh?.close();
  for (const tag of ['no-healthcheck', 'app']) {
    try {
      dockerCli('rmi', '-f', `${IMAGE}:${tag}`);
    } catch {
      // already gone
    }
  }
});

/** One replica of `api` (config: its `health:` and `command:` lines) started on `port`, ready for the gate. */
async function replicaOf(o: { release: string; port: number; tag: string; service: string; via?: Transport }) {
  const log = captureLogger();
  const config = parseConfig(
    `app: ${APP}
environments:
  sandbox:
    targets: [{ name: local, local: true }]
services:
  api:
    image: ${IMAGE}
    network: host
    port-env: PORT
    stop-grace: 1s
${o.service}`,
    'runbook.yml',
  );
  const target = { name: 'local', transport: o.via ?? new LocalTransport('local', log as Logger), env: {} };
  const site = serviceSite({ config, environmentName: 'sandbox' }, ['api'], target, 'api', {
    clock: systemClock,
    log: log as Logger,
  });
  const d: ServiceDeploy = engineDeployOf(site, engine, o.release, `${IMAGE}:${o.tag}`);
  const r = await startReplica(d, 0, o.port);
  return { d, r, log, text: () => log.calls.map((c) => c.message).join('\n') };
}

/** The gate's outcome: the error message ('' when it passed) and the seconds it took. */
async function gated(d: ServiceDeploy, r: Awaited<ReturnType<typeof startReplica>>) {
  const t0 = performance.now();
  const error = await gate(d, [r]).then(
    () => '',
    (err: Error) => err.message,
  );
  return { error, seconds: (performance.now() - t0) / 1000 };
}

describe('the health gate with real apps on the sandbox engine', () => {
  it('passes a busybox httpd CGI app whose header lines end in a bare LF (from the runner and over SSH)', async () => {
    const port = ports[0] as number;
    const health = `    health:
      http: { path: /cgi-bin/health, expect: { json: { status: ok } } }
      interval: 300ms
      deadline: 15s
      stable: 600ms
`;
    const { d, r, text } = await replicaOf({ release: 'lf', port, tag: 'app', service: health });
    expect(await gated(d, r)).toMatchObject({ error: '' });
    expect(text()).toMatch(/local\/api#0 \(port \d+\) healthy after [\d.]+s \(attempt \d+\): 200 \{"status":"ok"\}/);
    // The app really answers what undici's strict parser refuses.
    const agent = new Agent({ pipelining: 0 });
    await expect(request(`http://127.0.0.1:${port}/cgi-bin/health`, { dispatcher: agent })).rejects.toThrow(
      /Missing expected CR/,
    );
    await agent.close();
    const overSsh = await replicaOf({
      release: 'lfssh',
      port: ports[1] as number,
      tag: 'app',
      service: health,
      via: ssh,
    });
    expect(await gated(overSsh.d, overSsh.r)).toMatchObject({ error: '' });
  });

  it('passes an app that answers 400 to other hosts once health.http.headers gives its Host', async () => {
    const port = ports[2] as number;
    const without = await replicaOf({
      release: 'nohost',
      port,
      tag: 'app',
      service: `    health: { http: { path: /cgi-bin/host-health }, interval: 300ms, deadline: 3s, stable: 300ms }\n`,
    });
    const refused = await gated(without.d, without.r);
    expect(refused.error).toContain(
      `last answer: status 400, expected 200 (400 {"error":"unknown host 127.0.0.1:${port}"} )`,
    );
    await engine.removeContainer(without.r.id, { force: true });
    const withHost = await replicaOf({
      release: 'host',
      port,
      tag: 'app',
      service: `    health:
      http: { path: /cgi-bin/host-health, headers: { Host: api.example.test } }
      interval: 300ms
      deadline: 15s
      stable: 300ms
`,
    });
    expect(await gated(withHost.d, withHost.r)).toMatchObject({ error: '' });
  });

  it('fails at once under container: true when the image has no HEALTHCHECK', async () => {
    const { d, r } = await replicaOf({
      release: 'nohc',
      port: ports[3] as number,
      tag: 'no-healthcheck',
      service: `    health: { container: true, interval: 300ms, deadline: 60s }\n`,
    });
    const { error, seconds } = await gated(d, r);
    expect(error).toBe(
      `local/api#0 (port ${ports[3]}): health.container is true but the image ${IMAGE}:no-healthcheck has no HEALTHCHECK; add a HEALTHCHECK to the image, or configure health.http (path, and port when the service has none) instead`,
    );
    expect(seconds).toBeLessThan(5);
  });

  it('refuses a container: true app whose port has nothing listening, naming the port (also over SSH)', async () => {
    const service = `    command: [sleep, "600"]
    health: { container: true, interval: 300ms, deadline: 4s, stable: 300ms }
`;
    const port = ports[4] as number;
    const { d, r, text } = await replicaOf({ release: 'deaf', port, tag: 'app', service });
    const local = await gated(d, r);
    expect(local.error).toMatch(
      new RegExp(
        `not healthy within 4s \\(deadline\\) after \\d+ attempts; last answer: container health: healthy, but port ${port} accepts no connection: connection refused by 127\\.0\\.0\\.1:${port} \\(nothing listens there\\)`,
      ),
    );
    expect(text()).toContain('container health: healthy, but port');
    const sshPort = ports[5] as number;
    const viaSsh = await replicaOf({ release: 'deafssh', port: sshPort, tag: 'app', service, via: ssh });
    expect((await gated(viaSsh.d, viaSsh.r)).error).toMatch(
      new RegExp(
        `last answer: container health: healthy, but port ${sshPort} accepts no connection: the target \\(.*\\) could not connect to 127\\.0\\.0\\.1:${sshPort}: Connection refused \\(nothing listens there\\)`,
      ),
    );
  });
});
