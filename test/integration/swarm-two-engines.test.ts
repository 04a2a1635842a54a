/**
 * strategy.driver swarm on a swarm of two nodes (helpers/swarm-engine.ts: a manager on 127.0.0.1 and a worker
 * advertising 127.0.0.2, two dockerds of the test's own sharing the machine's network namespace), behind an nginx of
 * its own: Swarm places one task on each node, nginx reaches the worker's task at its node's address (there the app
 * listens on every address, chosen by a Swarm template on the node id), and an update under ~100 req/s fails no
 * request.
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
    const tasks = journal().releases.at(-1)?.services.api?.swarm?.tasks ?? [];
    expect(tasks.map((t) => t.node).sort()).toEqual([...engine.nodes].sort());
    const onWorker = tasks.find((t) => t.node === engine.nodes[1]);
    const onManager = tasks.find((t) => t.node === engine.nodes[0]);
    // The worker's address as the manager sees it (Status.Addr: here the source of its connection, 127.0.0.1).
    const workerAddr = engine.docker('node', 'inspect', engine.nodes[1] ?? '', '--format', '{{.Status.Addr}}');
    expect(onWorker?.address).toMatch(new RegExp(`^${workerAddr.replaceAll('.', '\\.')}:\\d+$`));
    expect(onManager?.address).toMatch(/^127\.0\.0\.1:\d+$/);
    const upstream = readFileSync(upstreamFile, 'utf8');
    expect(upstream).toContain(`server ${onWorker?.address}`);
    expect(upstream).toContain(`server ${onManager?.address}`);
    expect(await fetchText(`${url}/version`)).toBe('v1');
  }, 120_000);

  it('v2 across both nodes under load: 0 failed requests', async () => {
    const load = startLoad(`${url}/version`, { workers: 4, ratePerSecond: 100, maxSeconds: 120 });
    await new Promise((r) => setTimeout(r, 800));
    const r = await deploy('v2');
    await new Promise((r) => setTimeout(r, 800));
    const result = await load.stop();
    expect(r.ok, `${r.failed}\n${r.log}`).toBe(true);
    expect(result.failed, result.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(result.bodies.v2).toBeGreaterThan(0);
    const tasks = journal().releases.at(-1)?.services.api?.swarm?.tasks ?? [];
    expect(tasks.map((t) => t.node).sort()).toEqual([...engine.nodes].sort());
    console.log(
      `two nodes, v2 update: ${result.requests} requests in ${result.seconds.toFixed(1)}s, ${result.failed} failed`,
    );
  }, 150_000);
});
