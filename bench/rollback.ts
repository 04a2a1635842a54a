/**
 * rollback: ~100 requests/s through the sandbox nginx while a bad release is rolled back, timed from the failing
 * smoke verdict until the previous version serves healthy. Two cases, one JSON line each:
 * - script: the runbooks' hand rollback (`docker-compose up -d --no-deps app` with the previous tag, then curl
 *   /health until it answers), one container behind nginx;
 * - ours: the rollback action (scope image) after the smoke-test action failed on a degraded release, two replicas.
 * {"bench":"rollback","scope":"image","method":…,"seconds":S,"requests":N,"failed":N}
 * Usage: npm run bench -- rollback
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { runStep } from '../test/integration/helpers/action-runner.js';
import { handScript } from '../test/integration/helpers/hand-script.js';
import { startLoad } from '../test/integration/helpers/load.js';
import { dropDatabase } from '../test/integration/helpers/pg-sandbox.js';
import { REPO_ROOT, sandboxPart } from '../test/integration/helpers/sandbox.js';
import { removeContainers, storyWorld } from '../test/integration/helpers/story-world.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Load before the change, the change timed, then a second of load after it; failed requests only within it. */
async function measure(method: string, url: string, change: () => Promise<void>): Promise<void> {
  const load = startLoad(url, { workers: 4, ratePerSecond: 100, maxSeconds: 600 });
  await sleep(1500);
  const before = await load.stop();
  const during = startLoad(url, { workers: 4, ratePerSecond: 100, maxSeconds: 600 });
  const t0 = performance.now();
  const watch = watchServing(url, 'v2', t0);
  await change();
  const seconds = (performance.now() - t0) / 1000;
  await sleep(1000);
  const serving = await watch.stop();
  const r = await during.stop();
  console.log(
    JSON.stringify({
      bench: 'rollback',
      scope: 'image',
      method,
      seconds: Math.round(seconds * 100) / 100,
      requests: r.requests,
      failed: r.failed,
      serving_seconds: serving === undefined ? null : Math.round(serving * 100) / 100,
    }),
  );
  console.error(
    `${method}: before the rollback ${before.requests} requests (${before.failed} failed); during it served ${JSON.stringify(r.bodies)}; first failures: ${r.failures.slice(0, 3).join(' | ') || 'none'}`,
  );
}

/**
 * Poll what nginx serves every 50 ms; `stop()` gives the seconds from `t0` to the first answer of `want` after which
 * every answer was `want` (the previous version serving for good), undefined when that never happened.
 */
function watchServing(url: string, want: string, t0: number): { stop(): Promise<number | undefined> } {
  let since: number | undefined;
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = performance.now();
      let body = '';
      try {
        body = (await (await request(url, { headersTimeout: 1000, bodyTimeout: 1000 })).body.text()).trim();
      } catch {
        body = '';
      }
      if (body === want) since ??= at;
      else since = undefined;
      await sleep(50);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return since === undefined ? undefined : (since - t0) / 1000;
    },
  };
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await request(url, { headersTimeout: 1000, bodyTimeout: 1000 });
    const body = await res.body.text();
    return res.statusCode === 200 && body.includes('"status":"ok"');
  } catch {
    return false;
  }
}

export async function main(): Promise<void> {
  if (!existsSync(join(REPO_ROOT, '.sandbox/sandbox.json')))
    spawnSync('bash', ['test/sandbox/up.sh'], { stdio: ['ignore', 2, 2] });
  const nginx = sandboxPart('nginx');
  const url = `http://127.0.0.1:${nginx.port}/version`;

  // 1. The runbooks' hand rollback: compose recreates the one container with the previous tag; curl until healthy.
  const script = await handScript('rbrbbench', 18395);
  await script.up('degraded');
  await sleep(2000);
  await measure('script', url, async () => {
    await script.up('v2');
    while (!(await healthy('http://127.0.0.1:18395/health'))) await sleep(500);
  });
  await script.down();

  // 2. Ours: v2 live, the degraded release deployed (its liveness passes), the smoke test fails, the rollback action.
  const w = storyWorld('rbrbbench', [18660, 18669]);
  const common = { config: w.config, environment: 'sandbox' };
  const env = { DB_PASSWORD: w.pg.password };
  const step = async (action: string, inputs: Record<string, string>) =>
    runStep(action, { inputs: { ...common, ...inputs }, env, timeoutMs: 180_000 });
  try {
    for (const version of ['v2', 'degraded']) {
      const r = await step('deploy', { version });
      if (r.code !== 0) throw new Error(`the ${version} deploy failed:\n${r.stdout}`);
    }
    const smoke = await step('smoke-test', {});
    if (smoke.code === 0) throw new Error('the smoke test passed on the degraded release');
    await measure('rollback-action', url, async () => {
      const r = await step('rollback', { scope: 'image' });
      if (r.code !== 0) throw new Error(`the rollback failed:\n${r.stdout}`);
    });
  } finally {
    removeContainers(w.app);
    dropDatabase(w.pg, w.database);
  }
}
