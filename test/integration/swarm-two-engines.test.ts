/**
 * strategy.driver swarm on a swarm of two nodes (helpers/swarm-engine.ts: a manager on 127.0.0.1 and a worker
 * advertising 127.0.0.2, two dockerds of the test's own sharing the machine's network namespace), behind an nginx of
 * its own: the service's create places one task on each node, nginx reaches the worker's task at its node's address
 * (there the app listens on every address, chosen by a Swarm template on the node id), and an update under ~100 req/s
 * fails no request.
 *
 * What Swarm places where is asserted only where its scheduler decides it alone: a new service's tasks fill the Ready
 * nodes evenly (no task of the service counts yet). An update's placement is not promised: with start-first the old
 * task still counts on its node while the new one starts, so both new tasks may land on one node — the update is
 * judged by what holds wherever they run (each task reached at its own node's address, the upstream on exactly them).
 * The steps run in-process. Needs root.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployAction } from '../../src/actions/catalog.js';
import { runModule } from '../../src/actions/module.js';
import type { Journal } from '../../src/deploy/journal.js';
import { memoryRunner } from '../unit/helpers/runner.js';
import { startLoad } from './helpers/load.js';
import { ownNginx } from './helpers/own-nginx.js';
import { freePortRange } from './helpers/ports.js';
import { fetchText } from './helpers/sandbox-docker.js';
import { type SwarmEngine, startSwarmEngine } from './helpers/swarm-engine.js';
import { yamlList } from './helpers/yaml.js';

const ENV = 'swarm';
let engine: SwarmEngine;
let nginx: ReturnType<typeof ownNginx>;
let dir: string;
let config: string;
let url: string;
let upstreamFile: string;
const journal = () => JSON.parse(readFileSync(join(dir, 'state', ENV, 'journal.json'), 'utf8')) as Journal;

beforeAll(async () => {
  engine = await startSwarmEngine('rbswarm-nodes', { v1: 'v1', v2: 'v2' }, { workers: 1 });
  dir = mkdtempSync(join(tmpdir(), 'swarm-nodes-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'state'));
  const [port, lo] = await freePortRange(5);
  url = `http://127.0.0.1:${port}`;
  nginx = ownNginx(join(dir, 'nginx'), {
    confd: {
      'upstream.conf': 'upstream shop_api {\n    server 127.0.0.1:9 down;\n}\n',
      'site.conf': `server {\n    listen 127.0.0.1:${port};\n    location / {\n        proxy_pass http://shop_api;\n        proxy_next_upstream error timeout http_502 http_503;\n        proxy_connect_timeout 2s;\n    }\n}\n`,
    },
  });
  upstreamFile = join(nginx.confd, 'upstream.conf');
  const worker = engine.nodes[1] ?? '';
  config = join(dir, 'runbook.yml');
  writeFileSync(
    config,
    `app: sn${randomBytes(3).toString('hex')}
environments:
  ${ENV}:
    targets: [{ name: manager, local: true, docker-socket: ${engine.socket} }]
    state-dir: ${join(dir, 'state')}
    url: ${url}
services:
  api:
    image: ${engine.registry}/rbswarm-nodes
    replicas: 2
    network: host
    host-ports: ${lo + 1}-${lo + 4}
    stop-grace: 3s
    # The test app listens on BIND. On the worker, where nginx reaches it at the node's address (127.0.0.2) and its
    # container health check at 127.0.0.1, on every address; on the manager, on 127.0.0.1 only.
    env: { BIND: '{{if eq .Node.ID "${worker}"}}0.0.0.0{{else}}127.0.0.1{{end}}' }
    health:
      http: { path: /health, expect: { status: 200, json: { status: ok } } }
      interval: 500ms
      timeout: 2s
      deadline: 5s
strategy:
  driver: swarm
  drain: 300ms
  swarm: { parallelism: 1, delay: 1s, monitor: 2s, converge-timeout: 90s }
  proxy:
    nginx:
      upstream-file: ${upstreamFile}
      upstream: shop_api
      test: ${yamlList([...nginx.argv, '-t'])}
      reload: ${yamlList([...nginx.argv, '-s', 'reload'])}
      pid-file: ${nginx.pidFile}
`,
  );
}, 120_000);

afterAll(async () => {
  await nginx?.close();
  await engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 90_000);

/** The upstream file's primary servers (`server ADDRESS …;` lines), sorted. */
function upstreamServers(): string[] {
  return [...readFileSync(upstreamFile, 'utf8').matchAll(/^\s*server\s+([^\s;]+)/gm)].map((m) => m[1] ?? '').sort();
}

/**
 * The journal's tasks of the last release: as many as the replicas, each on a node of the swarm at its own node's
 * address (127.0.0.1 on the manager's, the node's Status.Addr on another), and the upstream on exactly them.
 */
function expectTasksAtTheirNodes() {
  const tasks = journal().releases.at(-1)?.services.api?.swarm?.tasks ?? [];
  expect(tasks).toHaveLength(2);
  for (const t of tasks) {
    expect(engine.nodes).toContain(t.node);
    // A node's address as the manager sees it (Status.Addr; for this worker the source of its connection, 127.0.0.1).
    const host =
      t.node === engine.nodes[0]
        ? '127.0.0.1'
        : engine.docker('node', 'inspect', t.node, '--format', '{{.Status.Addr}}');
    expect(t.address, `task ${t.id} on node ${t.node}`).toMatch(new RegExp(`^${host.replaceAll('.', '\\.')}:\\d+$`));
  }
  expect(upstreamServers()).toEqual(tasks.map((t) => t.address).sort());
  return tasks;
}

async function deploy(version: string) {
  const { runner, record } = memoryRunner({ config, environment: ENV, version }, { mode: 'cli' });
  const ok = await runModule(deployAction, { runner, signals: new EventEmitter() });
  if (process.env.SWARM_TEST_LOG) console.log(record.lines.join('\n'));
  return { ok, failed: record.failed.join('\n'), log: record.lines.join('\n') };
}

describe('strategy.driver swarm on two nodes', () => {
  it("a task on each node, each in the upstream at its node's address", async () => {
    const r = await deploy('v1');
    expect(r.ok, `${r.failed}\n${r.log}`).toBe(true);
    const tasks = expectTasksAtTheirNodes();
    // A create: both nodes Ready (the helper waits for it) and no task of the service yet, so Swarm's scheduler puts
    // one on each — the worker's task is the one nginx reaches at another node's address.
    expect(tasks.map((t) => t.node).sort()).toEqual([...engine.nodes].sort());
    expect(await fetchText(`${url}/version`)).toBe('v1');
  }, 120_000);

  it("v2 under load: 0 failed requests, each task at its node's address wherever Swarm put it", async () => {
    const load = startLoad(`${url}/version`, { workers: 4, ratePerSecond: 100, maxSeconds: 120 });
    await new Promise((r) => setTimeout(r, 800));
    const r = await deploy('v2');
    await new Promise((r) => setTimeout(r, 800));
    const result = await load.stop();
    expect(r.ok, `${r.failed}\n${r.log}`).toBe(true);
    expect(result.failed, result.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(result.bodies.v2).toBeGreaterThan(0);
    // Where Swarm put the v2 tasks is its choice (see the file's comment); wherever it is, each is reached there.
    const tasks = expectTasksAtTheirNodes();
    expect(await fetchText(`${url}/version`)).toBe('v2');
    console.log(
      `two nodes, v2 update: ${result.requests} requests in ${result.seconds.toFixed(1)}s, ${result.failed} failed; v2 tasks on ${tasks.map((t) => (t.node === engine.nodes[0] ? 'the manager' : 'the worker')).join(' and ')}`,
    );
  }, 150_000);
});
