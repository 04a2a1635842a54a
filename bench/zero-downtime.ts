/**
 * zero-downtime: ~100 requests/s through the sandbox nginx while v1 → v2 is deployed four ways — the runbook's
 * hand script (`docker-compose up -d --no-deps` + sleep), our recreate, our rolling, our rolling of a compose app
 * (`compose-rolling`: a team's docker-compose.yml with an env file, a named volume and a healthcheck, two replicas)
 * — and, through a site laid out by hand (its own nginx, the upstream block in conf.d, a compose app on a fixed
 * port, sudo for nginx only), our first deploy taking it over (`takeover`) — one JSON line each:
 * {"bench":"zero-downtime","method":…,"requests":N,"failed":N,"seconds":S}. Usage: npm run bench -- zero-downtime [minRequests]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runStep } from '../test/integration/helpers/action-runner.js';
import { composeSite } from '../test/integration/helpers/compose-site.js';
import { deployEnv } from '../test/integration/helpers/deploy-env.js';
import { handScript } from '../test/integration/helpers/hand-script.js';
import { handSite } from '../test/integration/helpers/hand-site.js';
import { startLoad } from '../test/integration/helpers/load.js';
import { REPO_ROOT, sandboxPart } from '../test/integration/helpers/sandbox.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Keep ~100 req/s running from before the change until after it, and until minRequests were sent. */
async function measure(method: string, url: string, minRequests: number, change: () => Promise<void>): Promise<void> {
  const load = startLoad(url, { workers: 4, ratePerSecond: 100, maxSeconds: 600 });
  await sleep(2000);
  const t0 = performance.now();
  await change();
  const seconds = (performance.now() - t0) / 1000;
  await sleep(1000);
  while (load.sent() < minRequests) await sleep(200);
  const r = await load.stop();
  console.log(
    JSON.stringify({
      bench: 'zero-downtime',
      method,
      requests: r.requests,
      failed: r.failed,
      seconds: Math.round(seconds * 100) / 100,
    }),
  );
  const first = r.failures.slice(0, 3).join(' | ');
  console.error(
    `${method}: ${r.retried} keep-alive races retried once (as browsers do); first failures: ${first || 'none'}`,
  );
}

export async function main(args: string[]): Promise<void> {
  const minRequests = Number(args[0] ?? 5000);
  if (!existsSync(join(REPO_ROOT, '.sandbox/sandbox.json')))
    spawnSync('bash', ['test/sandbox/up.sh'], { stdio: ['ignore', 2, 2] });
  const nginx = sandboxPart('nginx');
  const url = `http://127.0.0.1:${nginx.port}/version`;
  // 1. The runbook's hand script: compose recreates the one container; nginx points at its fixed port.
  const script = await handScript('rbbench', 18390);
  await script.up('v1');
  await sleep(2000);
  await measure('script', url, minRequests, async () => {
    await script.up('v2');
    await sleep(5000); // the runbook's "wait a bit"
  });
  await script.down();

  // 2 and 3. Ours: recreate (one replica, brief gap by design) and rolling (two replicas behind nginx).
  for (const [method, strategy, replicas, ports] of [
    ['recreate', 'recreate', 1, [18310, 18319]],
    ['rolling', 'rolling', 2, [18320, 18329]],
  ] as const) {
    const env = deployEnv({ app: `rbbench${method}`, ports: [ports[0], ports[1]], replicas, strategy });
    const first = await env.deploy('v1');
    if (first.code !== 0) throw new Error(`${method}: the v1 deploy failed:\n${first.stdout}`);
    await measure(method, url, minRequests, async () => {
      const r = await env.deploy('v2');
      if (r.code !== 0) throw new Error(`${method}: the v2 deploy failed:\n${r.stdout}`);
    });
  }

  // 4. Ours on a compose app: the team's compose service rolled replica by replica (two replicas on free ports).
  const compose = await composeSite('rbbenchcr');
  try {
    const first = await compose.deploy('v1');
    if (first.code !== 0) throw new Error(`compose-rolling: the v1 deploy failed:\n${first.stdout}`);
    await measure('compose-rolling', url, minRequests, async () => {
      const r = await compose.deploy('v2');
      if (r.code !== 0) throw new Error(`compose-rolling: the v2 deploy failed:\n${r.stdout}`);
    });
  } finally {
    compose.close();
  }

  // 5. Taking over the hand-laid site: the team's compose app serves until our replicas are healthy and switched.
  const site = await handSite('bench');
  try {
    await measure('takeover', `${site.url}/version`, minRequests, async () => {
      const r = await runStep('deploy', { inputs: { ...site.inputs, version: 'v2' }, timeoutMs: 120_000 });
      if (r.code !== 0) throw new Error(`takeover: the deploy failed:\n${r.stdout}`);
    });
  } finally {
    await site.close();
  }
}
