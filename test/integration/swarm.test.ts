/**
 * strategy.driver swarm on a single-node swarm of the test's own (helpers/swarm-engine.ts: its own dockerd and
 * registry, never the sandbox engine) behind an nginx of its own, under ~100 req/s through nginx: v1 created, v2
 * updated by Swarm (start-first, one task at a time) with 0 failed requests, a never-healthy v3 rolled back by Swarm
 * with 0 failed and the deploy failed naming the task, then `rollback` to v1 through the journal (the recorded spec)
 * and, after v2 again, through Swarm's own rollback to the previous spec — 0 failed each, the journal then recording
 * the service as the rollback left it (its version, its tasks). A secret-env value reaches the tasks as a file; the
 * journal records the service, its version, the digest and the tasks. pre-deploy-check
 * passes on the manager and refuses an engine that is not in a swarm. The steps run in-process (this tests the
 * source, not the committed bundles). Needs root.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployAction, preDeployCheckAction, rollbackAction } from '../../src/actions/catalog.js';
import { runModule } from '../../src/actions/module.js';
import type { Journal } from '../../src/deploy/journal.js';
import { memoryRunner } from '../unit/helpers/runner.js';
import { startLoad } from './helpers/load.js';
import { ownNginx } from './helpers/own-nginx.js';
import { freePortRange } from './helpers/ports.js';
import { sandboxPart } from './helpers/sandbox.js';
import { fetchText } from './helpers/sandbox-docker.js';
import { type SwarmEngine, startSwarmEngine } from './helpers/swarm-engine.js';
import { yamlList } from './helpers/yaml.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const REPO = 'rbswarm-app';
const TOKEN = `swarm-token-${randomBytes(8).toString('hex')}`;
const ENV = 'swarm';

let engine: SwarmEngine;
let nginx: ReturnType<typeof ownNginx>;
let dir: string;
let config: string;
let url: string;
let app: string;
const journal = () => JSON.parse(readFileSync(join(dir, 'state', ENV, 'journal.json'), 'utf8')) as Journal;

beforeAll(async () => {
  engine = await startSwarmEngine(REPO, { v1: 'v1', v2: 'v2', v3: 'never-healthy' });
  dir = mkdtempSync(join(tmpdir(), 'swarm-site-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'state'));
  const [port, lo] = await freePortRange(7);
  url = `http://127.0.0.1:${port}`;
  app = `sw${randomBytes(3).toString('hex')}`;
  nginx = ownNginx(join(dir, 'nginx'), {
    confd: {
      'upstream.conf': 'upstream shop_api {\n    server 127.0.0.1:9 down;  # nothing deployed yet\n}\n',
      'site.conf': `server {
    listen 127.0.0.1:${port};
    location / {
        proxy_pass http://shop_api;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_next_upstream error timeout http_502 http_503;
        proxy_connect_timeout 2s;
    }
}
`,
    },
  });
  config = join(dir, 'runbook.yml');
  writeFileSync(
    config,
    `app: ${app}
environments:
  ${ENV}:
    targets: [{ name: manager, local: true, docker-socket: ${engine.socket} }]
    state-dir: ${join(dir, 'state')}
    url: ${url}
services:
  api:
    image: ${engine.registry}/${REPO}
    replicas: 2
    network: host
    host-ports: ${lo + 1}-${lo + 6}
    stop-grace: 3s
    secret-env: [APP_TOKEN]
    health:
      http: { path: /health, expect: { status: 200, json: { status: ok } } }
      interval: 500ms
      timeout: 2s
      deadline: 5s
strategy:
  type: rolling
  driver: swarm
  drain: 300ms
  swarm: { parallelism: 1, delay: 1s, order: start-first, failure-action: rollback, monitor: 2s, converge-timeout: 90s }
  proxy:
    nginx:
      upstream-file: ${join(nginx.confd, 'upstream.conf')}
      upstream: shop_api
      test: ${yamlList([...nginx.argv, '-t'])}
      reload: ${yamlList([...nginx.argv, '-s', 'reload'])}
      pid-file: ${nginx.pidFile}
checks: { docker: ">=20.10", compose: false }
`,
  );
}, 120_000);

afterAll(async () => {
  await nginx?.close();
  await engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** Run a step in-process; ok, the log lines and the failure. */
async function step(
  mod: typeof deployAction | typeof rollbackAction | typeof preDeployCheckAction,
  inputs: Record<string, string>,
  cfg = config,
) {
  const { runner, record } = memoryRunner(
    { config: cfg, environment: ENV, ...inputs },
    { mode: 'cli', env: { APP_TOKEN: TOKEN } },
  );
  const ok = await runModule(mod as typeof deployAction, { runner, signals: new EventEmitter() });
  // SWARM_TEST_LOG=1 prints each step's log (what a person would read in the job).
  if (process.env.SWARM_TEST_LOG) console.log(record.lines.join('\n'));
  return { ok, log: record.lines.join('\n'), failed: record.failed.join('\n'), outputs: record.outputs };
}

const underLoad = async <T>(what: () => Promise<T>) => {
  const load = startLoad(`${url}/version`, { workers: 4, ratePerSecond: 100, maxSeconds: 150 });
  await sleep(800);
  const result = await what();
  await sleep(800);
  return { result, load: await load.stop() };
};

const served = () => fetchText(`${url}/version`);
const service = () => `${app}-${ENV}-api`;

/**
 * The journal's record of release `id`'s service is the service as it runs now: its version, and its running tasks
 * (the release's replicas too).
 */
function expectRecordIsNow(id: string | undefined) {
  const rec = journal().releases.find((x) => x.id === id)?.services.api;
  const version = Number(engine.docker('service', 'inspect', service(), '--format', '{{.Version.Index}}'));
  const running = engine
    .docker('service', 'ps', service(), '--filter', 'desired-state=running', '--no-trunc', '--format', '{{.ID}}')
    .split('\n')
    .sort();
  expect(rec?.swarm?.version).toBe(version);
  expect(rec?.swarm?.tasks?.map((t) => t.id).sort()).toEqual(running);
  expect(rec?.replicas.map((t) => t.id).sort()).toEqual(running);
  return rec;
}

describe('strategy.driver swarm', () => {
  it('pre-deploy-check passes on the manager', async () => {
    const r = await step(preDeployCheckAction, {});
    expect(r.ok, `${r.failed}\n${r.log}`).toBe(true);
    expect(r.log).toMatch(/PASS +manager swarm +swarm manager \(node \w+; 1 manager\(s\), 1 node\(s\)\)/);
  }, 60_000);

  it('v1: the service is created, its tasks health-gated into the upstream; the secret is a file', async () => {
    const r = await step(deployAction, { version: 'v1' });
    expect(r.ok, `${r.failed}\n${r.log}`).toBe(true);
    expect(r.log).toMatch(
      /swarm: created service \S+ \([0-9a-z]+\): 2 × 127\.0\.0\.1:\d+\/rbswarm-app:v1@sha256:[0-9a-f]{64}/,
    );
    expect(r.log).toMatch(/tasks of \S+ running/);
    expect(await served()).toBe('v1');
    const rel = journal().releases.at(-1);
    expect(rel?.status).toBe('live');
    expect(rel?.driver).toBe('swarm');
    const api = rel?.services.api;
    expect(api?.swarm?.name).toBe(service());
    expect(api?.swarm?.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(api?.swarm?.version).toBeGreaterThan(0);
    expect(api?.replicas.map((t) => t.name).sort()).toEqual([`${service()}.1`, `${service()}.2`]);
    expect(api?.replicas.every((t) => typeof t.port === 'number')).toBe(true);
    expect(JSON.stringify(journal())).not.toContain(TOKEN);
    // The secret as a file in every task, and its path in the environment.
    for (const id of engine
      .docker('ps', '-q', '--filter', `label=com.docker.swarm.service.name=${service()}`)
      .split('\n')) {
      expect(engine.docker('exec', id, 'cat', '/run/secrets/APP_TOKEN')).toBe(TOKEN);
      expect(engine.docker('exec', id, 'sh', '-c', 'echo "$APP_TOKEN_FILE"')).toBe('/run/secrets/APP_TOKEN');
    }
    expect(engine.docker('secret', 'ls', '--format', '{{.Name}}')).toMatch(
      new RegExp(`^${app}-${ENV}-APP_TOKEN-[0-9a-f]{8}$`, 'm'),
    );
  }, 120_000);

  it('v2: Swarm updates one task at a time, start-first, 0 failed requests', async () => {
    const v1 = journal().releases.at(-1);
    const { result: r, load } = await underLoad(() => step(deployAction, { version: 'v2' }));
    expect(r.ok, `${r.failed}\n${r.log}`).toBe(true);
    expect(load.failed, load.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(load.requests).toBeGreaterThan(300);
    expect(load.bodies.v1).toBeGreaterThan(0);
    expect(load.bodies.v2).toBeGreaterThan(0);
    expect(r.log).toMatch(
      /swarm: updating service \S+ \(version \d+\): 2 × \S+:v2@sha256:\S+ on ports \d+, \d+, start-first, 1 at a time/,
    );
    expect(r.log).toMatch(/updating \(update in progress\)/);
    expect(await served()).toBe('v2');
    const v2 = journal().releases.at(-1);
    expect(v2?.status).toBe('live');
    expect(v2?.services.api?.swarm?.version).toBeGreaterThan(v1?.services.api?.swarm?.version ?? 0);
    expect(v2?.services.api?.swarm?.id).toBe(v1?.services.api?.swarm?.id);
    const v1Ports = v1?.services.api?.replicas.map((t) => t.port) ?? [];
    expect(v2?.services.api?.replicas.some((t) => v1Ports.includes(t.port))).toBe(false);
    console.log(`v2 update: ${load.requests} requests in ${load.seconds.toFixed(1)}s, ${load.failed} failed`);
  }, 150_000);

  it('v3 never gets healthy: Swarm rolls it back, the deploy fails naming it, 0 failed requests', async () => {
    const { result: r, load } = await underLoad(() => step(deployAction, { version: 'v3' }));
    expect(r.ok).toBe(false);
    expect(r.failed).toMatch(
      /Swarm rolled the update of \S+ back: update rolled back due to failure or early termination of task \w+; task \w+ \(slot \d, port \d+\)/,
    );
    expect(r.failed).toMatch(/its health check: unhealthy/);
    expect(r.failed).toMatch(/release \S+-v2 serves again/);
    expect(load.failed, load.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(load.bodies.v3 ?? 0).toBe(0);
    expect(await served()).toBe('v2');
    const [v2, v3] = journal().releases.slice(-2);
    expect(v3?.status).toBe('failed');
    expect(v3?.error).toMatch(/Swarm rolled the update/);
    expect(v2?.status).toBe('live');
    console.log(
      `v3 rolled back by Swarm: ${load.requests} requests in ${load.seconds.toFixed(1)}s, ${load.failed} failed`,
    );
  }, 150_000);

  it('rollback to v1 through the journal: the recorded spec, 0 failed requests', async () => {
    const v1 = journal().releases.find((x) => x.version === 'v1');
    const { result: r, load } = await underLoad(() =>
      step(rollbackAction, { 'release-id': v1?.id ?? '', reason: 'test', smoke: 'false' }),
    );
    expect(r.ok, `${r.failed}\n${r.log}`).toBe(true);
    expect(r.log).toMatch(/its previous spec is not release \S+'s; updating it to the recorded spec \(\S+:v1@sha256:/);
    expect(load.failed, load.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(load.bodies.v1).toBeGreaterThan(0);
    expect(await served()).toBe('v1');
    expect(journal().releases.find((x) => x.id === v1?.id)?.status).toBe('live');
    // The rollback's update of the service, recorded for v1 in place of its deploy's.
    expect(expectRecordIsNow(v1?.id)?.swarm?.version).toBeGreaterThan(v1?.services.api?.swarm?.version ?? 0);
    console.log(
      `rollback to v1 (recorded spec): ${load.requests} requests in ${load.seconds.toFixed(1)}s, ${load.failed} failed`,
    );
  }, 150_000);

  it("v2 again, then rollback: Swarm's own rollback to the previous spec, 0 failed requests", async () => {
    expect((await step(deployAction, { version: 'v2' })).ok).toBe(true);
    expect(await served()).toBe('v2');
    const { result: r, load } = await underLoad(() => step(rollbackAction, { reason: 'test', smoke: 'false' }));
    expect(r.ok, `${r.failed}\n${r.log}`).toBe(true);
    expect(r.log).toMatch(/previous spec is release \S+-v1: Swarm's rollback/);
    expect(r.log).toMatch(/rollback started \(manually requested rollback\)/);
    expect(load.failed, load.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(await served()).toBe('v1');
    expectRecordIsNow(journal().releases.find((x) => x.status === 'live')?.id);
    console.log(
      `rollback to v1 (Swarm's rollback): ${load.requests} requests in ${load.seconds.toFixed(1)}s, ${load.failed} failed`,
    );
  }, 150_000);

  it('an engine that is not in a swarm: pre-deploy-check fails and deploy refuses, naming it', async () => {
    const other = join(dir, 'sandbox-engine.yml');
    writeFileSync(other, readFileSync(config, 'utf8').replace(engine.socket, sandboxPart('docker').socket));
    const check = await step(preDeployCheckAction, {}, other);
    expect(check.ok).toBe(false);
    expect(check.log).toMatch(
      /FAIL +manager swarm +manager: the Docker engine is not part of a swarm \(Swarm\.LocalNodeState inactive\)/,
    );
    const deploy = await step(deployAction, { version: 'v1' }, other);
    expect(deploy.ok).toBe(false);
    expect(deploy.failed).toMatch(
      /not part of a swarm \(Swarm\.LocalNodeState inactive\); the swarm driver deploys to a swarm that exists: run `docker swarm init`/,
    );
  }, 60_000);
});
