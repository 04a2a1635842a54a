/**
 * A `docker:` target deployed and rolled back with the engine driver: a host of its own (a network namespace at
 * 198.18.X.11, helpers/tls-engine.ts) whose Docker engine the run reaches only over TCP with mutual TLS, behind the
 * environment's load balancer — the primary, a `local: true` target running an nginx of its own, whose upstream
 * lists the host's replicas at the host's address. There is no shell on the docker: target: the journal and lock
 * live on the primary, the containers carry the release in their labels, the health gates connect from the load
 * balancer to 198.18.X.11:port (the container listens in the host's namespace only, so a probe of the runner's own
 * 127.0.0.1:port could not pass), and the upstream is switched on the load balancer.
 *
 * v1; v2 under load through the load balancer's nginx (0 failed); a release whose health fails (the `degraded`
 * image: /health answers {"status":"degraded"}) is refused by the gate and v2 keeps serving; `rollback` to v1 under
 * load (0 failed); the journal on the primary has it all, and no command was ever asked of the docker: target.
 * The steps run in-process. Needs root.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployAction, preDeployCheckAction, rollbackAction, statusAction } from '../../src/actions/catalog.js';
import { type ActionModule, runModule } from '../../src/actions/module.js';
import type { Journal } from '../../src/deploy/journal.js';
import { memoryRunner } from '../unit/helpers/runner.js';
import { startLoad } from './helpers/load.js';
import { ownNginx } from './helpers/own-nginx.js';
import { freePortRange } from './helpers/ports.js';
import { sandboxPart } from './helpers/sandbox.js';
import { fetchText } from './helpers/sandbox-docker.js';
import { startTlsEngineHost, type TlsEngineHost } from './helpers/tls-engine.js';
import { yamlList } from './helpers/yaml.js';

const ENV = 'edge';
const APP = `dt${randomBytes(3).toString('hex')}`;
let engine: TlsEngineHost;
let nginx: ReturnType<typeof ownNginx>;
let dir: string;
let config: string;
let url: string;
let upstreamFile: string;
/** Every line every step logged, for the no-shell assertion at the end. */
const logs: string[] = [];

const journal = () => JSON.parse(readFileSync(join(dir, 'state', ENV, 'journal.json'), 'utf8')) as Journal;
const release = (version: string) => journal().releases.find((r) => r.version === version);

beforeAll(async () => {
  engine = await startTlsEngineHost();
  dir = mkdtempSync(join(tmpdir(), 'docker-targets-'));
  chmodSync(dir, 0o755); // nginx's workers reach its temp directory
  mkdirSync(join(dir, 'state'));
  const [port, lo] = await freePortRange(8);
  url = `http://127.0.0.1:${port}`;
  nginx = ownNginx(join(dir, 'nginx'), {
    confd: {
      'upstream.conf': 'upstream edge_web {\n    server 127.0.0.1:9 down;\n}\n',
      'site.conf': `server {\n    listen 127.0.0.1:${port};\n    location / {\n        proxy_pass http://edge_web;\n        proxy_next_upstream error timeout http_502 http_503;\n        proxy_connect_timeout 2s;\n    }\n}\n`,
    },
  });
  upstreamFile = join(nginx.confd, 'upstream.conf');
  config = join(dir, 'runbook.yml');
  writeFileSync(
    config,
    `app: ${APP}
environments:
  ${ENV}:
    url: ${url}
    state-dir: ${join(dir, 'state')}
    load-balancer: lb
    targets:
      # The primary: journal, lock and nginx. Its engine (the sandbox's) runs nothing of this app.
      - { name: lb, local: true, roles: [lb], docker-socket: ${sandboxPart('docker').socket} }
      - name: api1
        roles: [web]
        docker:
          host: ${engine.endpoint}
          tls: { ca-env: EDGE_TLS_CA, cert-env: EDGE_TLS_CERT, key-env: EDGE_TLS_KEY }
services:
  web:
    image: runbook-test-app
    roles: [web]
    replicas: 2
    network: host
    # Ports in api1's own network namespace; the app listens on every address there, so nginx reaches it.
    host-ports: ${lo + 1}-${lo + 7}
    env: { BIND: 0.0.0.0 }
    pull: never
    stop-grace: 3s
    health:
      http: { path: /health, expect: { status: 200, json: { status: ok } } }
      interval: 300ms
      timeout: 2s
      deadline: 6s
      stable: 1s
# Debian's engine is 20.10; there is no compose on a docker: target (nor needed on the load balancer).
checks: { docker: ">=20", compose: false }
strategy:
  type: rolling
  drain: 300ms
  proxy:
    nginx:
      upstream-file: ${upstreamFile}
      upstream: edge_web
      test: ${yamlList([...nginx.argv, '-t'])}
      reload: ${yamlList([...nginx.argv, '-s', 'reload'])}
      pid-file: ${nginx.pidFile}
`,
  );
}, 180_000);

afterAll(async () => {
  await nginx?.close();
  await engine?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 120_000);

/** Run a step in-process with the TLS variables the config names; its log is kept. */
async function step(action: ActionModule, inputs: Record<string, string>) {
  const env = { EDGE_TLS_CA: engine.pem.ca, EDGE_TLS_CERT: engine.pem.cert, EDGE_TLS_KEY: engine.pem.key };
  const { runner, record } = memoryRunner({ config, environment: ENV, ...inputs }, { mode: 'cli', env });
  const ok = await runModule(action, { runner, signals: new EventEmitter() });
  logs.push(...record.lines);
  if (process.env.DOCKER_TARGETS_LOG) console.log(record.lines.join('\n'));
  return { ok, failed: record.failed.join('\n'), log: record.lines.join('\n'), outputs: record.outputs };
}

const deploy = (version: string) => step(deployAction, { version });

/** The upstream file's servers (`server ADDRESS …;` lines, the placeholder left out), sorted. */
function upstreamServers(): string[] {
  return [...readFileSync(upstreamFile, 'utf8').matchAll(/^\s*server\s+([^\s;]+)/gm)]
    .map((m) => m[1] ?? '')
    .filter((a) => a !== '127.0.0.1:9')
    .sort();
}

/** The running containers of this app on api1's engine, by release label (looked at through its Unix socket). */
function runningReleases(): string[] {
  const out = engine.host.docker(
    'ps',
    '--filter',
    `label=io.runbook.app=${APP}`,
    '--format',
    '{{.Label "io.runbook.release"}}',
  );
  return out === '' ? [] : out.split('\n').sort();
}

/** The upstream on the load balancer lists exactly `version`'s replicas on api1, at api1's address. */
function expectServing(version: string) {
  const rec = release(version)?.services.web;
  expect(rec?.replicas.map((r) => r.target)).toEqual(['api1', 'api1']);
  const expected = (rec?.replicas ?? []).map((r) => `${engine.address}:${r.port}`).sort();
  expect(upstreamServers()).toEqual(expected);
}

describe('a docker: target (Engine API over mutual TLS, no shell) behind the load balancer', () => {
  it('passes pre-deploy-check: its engine over mutual TLS, the primary and load balancer with a shell', async () => {
    const r = await step(preDeployCheckAction, {});
    expect(r.ok, `${r.failed}\n${r.log}`).toBe(true);
    const report = JSON.parse(r.outputs.get('report') ?? '{}') as { checks: Array<Record<string, string>> };
    expect(report.checks.find((c) => c.target === 'api1' && c.check === 'reachable')?.detail).toMatch(
      new RegExp(`^${engine.endpoint.replaceAll('.', '\\.')} \\(mutual TLS\\), Engine API 1\\.\\d+$`),
    );
  }, 60_000);

  it('deploys v1: the health gate passes, probed from the load balancer at the host’s address', async () => {
    const r = await deploy('v1');
    expect(r.ok, `${r.failed}\n${r.log}`).toBe(true);
    expectServing('v1');
    expect(release('v1')?.status).toBe('live');
    expect(await fetchText(`${url}/version`)).toBe('v1');
    expect(runningReleases()).toEqual([release('v1')?.id, release('v1')?.id]);
    // The replicas listen in api1's namespace only: the gate that passed connected to api1's address, never to the
    // runner's (and load balancer's) own 127.0.0.1.
    const port = release('v1')?.services.web?.replicas[0]?.port;
    expect(await fetchText(`http://127.0.0.1:${port}/version`).catch(() => 'refused')).toBe('refused');
  }, 120_000);

  it('deploys v2 under load through the load balancer’s nginx: 0 failed requests', async () => {
    const load = startLoad(`${url}/version`, { workers: 4, ratePerSecond: 100, maxSeconds: 120 });
    await new Promise((r) => setTimeout(r, 600));
    const r = await deploy('v2');
    await new Promise((r) => setTimeout(r, 600));
    const result = await load.stop();
    console.log(
      `docker: target, v2 under load: ${result.requests} requests in ${result.seconds.toFixed(1)}s, ${result.failed} failed`,
    );
    expect(r.ok, `${r.failed}\n${r.log}`).toBe(true);
    expect(result.failed, result.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(result.bodies.v1).toBeGreaterThan(0);
    expect(result.bodies.v2).toBeGreaterThan(0);
    expectServing('v2');
    expect(await fetchText(`${url}/version`)).toBe('v2');
    // v1's containers are stopped and kept for rollback: the engine's labels say which release they are.
    const kept = engine.host.docker(
      'ps',
      '-a',
      '--filter',
      `label=io.runbook.release=${release('v1')?.id}`,
      '--format',
      '{{.State}}',
    );
    expect(kept.split('\n')).toEqual(['exited', 'exited']);
  }, 150_000);

  it('refuses a release whose health fails: the deploy fails and the load balancer still serves v2', async () => {
    const r = await deploy('degraded');
    expect(r.ok).toBe(false);
    expect(r.failed).toMatch(/degraded/);
    expect(release('degraded')?.status).toBe('failed');
    expect(release('v2')?.status).toBe('live');
    expectServing('v2');
    expect(await fetchText(`${url}/version`)).toBe('v2');
    // Its replicas were removed; v2's serve.
    expect(runningReleases()).toEqual([release('v2')?.id, release('v2')?.id]);
  }, 120_000);

  it('rolls back to v1 under load: 0 failed requests, the journal on the primary records it', async () => {
    const load = startLoad(`${url}/version`, { workers: 4, ratePerSecond: 100, maxSeconds: 120 });
    await new Promise((r) => setTimeout(r, 600));
    // By id: without one, the rollback after a failed fleet release first re-checks the live release (v2).
    const r = await step(rollbackAction, { 'release-id': release('v1')?.id ?? '', reason: 'degraded release' });
    await new Promise((r) => setTimeout(r, 600));
    const result = await load.stop();
    console.log(
      `docker: target, rollback under load: ${result.requests} requests in ${result.seconds.toFixed(1)}s, ${result.failed} failed`,
    );
    expect(r.ok, `${r.failed}\n${r.log}`).toBe(true);
    expect(result.failed, result.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(result.bodies.v1).toBeGreaterThan(0);
    expect(r.outputs.get('restored-version')).toBe('v1');
    expect(await fetchText(`${url}/version`)).toBe('v1');
    // The kept v1 containers came back, on the ports the journal recorded.
    expect(runningReleases()).toEqual([release('v1')?.id, release('v1')?.id]);
    const v1Ports = (release('v1')?.services.web?.replicas ?? []).map((x) => `${engine.address}:${x.port}`).sort();
    expect(upstreamServers()).toEqual(v1Ports);
    const j = journal();
    expect(j.releases.map((x) => [x.version, x.status])).toEqual([
      ['v1', 'live'],
      ['v2', 'rolled-back'],
      ['degraded', 'failed'],
    ]);
    expect(release('v2')?.rollback).toMatchObject({
      to: release('v1')?.id,
      scope: ['image'],
      reason: 'degraded release',
    });
    expect(release('v2')?.rollback?.finishedAt).toBeDefined();
  }, 150_000);

  it('status reads the docker: target through its Engine API: no drift', async () => {
    const r = await step(statusAction, {});
    expect(r.ok, `${r.failed}\n${r.log}`).toBe(true);
    expect(r.log).toContain('drift: none');
  }, 60_000);

  it('never asked the docker: target for a command or a file', () => {
    const all = logs.join('\n');
    expect(all).not.toMatch(/NoShellError|is a docker: target: there is no shell/);
    // The Engine API over mutual TLS was what reached it.
    expect(all).not.toMatch(/PLAIN TCP/);
  });
});
