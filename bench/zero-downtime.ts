/**
 * zero-downtime: ~100 requests/s through the sandbox nginx while v1 → v2 is deployed four ways — the runbook's
 * hand script (`docker-compose up -d --no-deps` + sleep), our recreate, our rolling, our rolling of a compose app
 * (`compose-rolling`: a team's docker-compose.yml with an env file, a named volume and a healthcheck, two replicas)
 * — and, through a site laid out by hand (its own nginx, the upstream block in conf.d, a compose app on a fixed
 * port, sudo for nginx only), our first deploy taking it over (`takeover`) — and, through a team-style site of its
 * own (helpers/progressive-site.ts: its own nginx, access log in the canary format, header route), blue-green
 * (`blue-green`: v2 into the other slot, one switch), a canary promoted through every step (`canary`) and a canary of a
 * version answering ~5 % errors that its first gate aborts (`traffic-rollback`) — one JSON line each:
 * {"bench":"zero-downtime","method":…,"requests":N,"failed":N,"seconds":S}; `seconds` is the deploy's duration, but for
 * traffic-rollback the time from the failing verdict to every request answered by the old version (with
 * `"canary_errors":N`, the canary's own 500 answers, not counted in `failed`).
 * Usage: npm run bench -- zero-downtime [minRequests] [method…] (no method: all of them, in this order).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runStep } from '../test/integration/helpers/action-runner.js';
import { composeSite } from '../test/integration/helpers/compose-site.js';
import { deployEnv } from '../test/integration/helpers/deploy-env.js';
import { handScript } from '../test/integration/helpers/hand-script.js';
import { handSite } from '../test/integration/helpers/hand-site.js';
import { type LoadResult, startLoad } from '../test/integration/helpers/load.js';
import { progressiveSite, ROUTE_HEADER, type SitePaths } from '../test/integration/helpers/progressive-site.js';
import { REPO_ROOT, sandboxPart } from '../test/integration/helpers/sandbox.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round2 = (x: number) => Math.round(x * 100) / 100;

const METHODS = [
  'script',
  'recreate',
  'rolling',
  'compose-rolling',
  'takeover',
  'blue-green',
  'canary',
  'traffic-rollback',
] as const;
type Method = (typeof METHODS)[number];

type Expected = NonNullable<Parameters<typeof startLoad>[1]>['expected'];

interface MeasureOptions {
  /** Names intended non-2xx answers (startLoad's `expected`); also sees every answer as it arrives. */
  expected?: Expected;
  /** The line's fields after `method` (default: requests, failed, and the change's duration as seconds). */
  fields?: (r: LoadResult, changeSeconds: number) => Record<string, number>;
}

/** Keep ~100 req/s running from before the change until after it, and until minRequests were sent. */
async function measure(
  method: Method,
  url: string,
  minRequests: number,
  change: () => Promise<void>,
  o: MeasureOptions = {},
): Promise<void> {
  const load = startLoad(url, { workers: 4, ratePerSecond: 100, maxSeconds: 600, expected: o.expected });
  let r: LoadResult;
  let seconds: number;
  try {
    await sleep(2000);
    const t0 = performance.now();
    await change();
    seconds = (performance.now() - t0) / 1000;
    await sleep(1000);
    while (load.sent() < minRequests) await sleep(200);
  } finally {
    // Stopped on a failure too, so the process does not keep loading a site that is being closed.
    r = await load.stop();
  }
  const fields = o.fields?.(r, seconds) ?? { requests: r.requests, failed: r.failed, seconds: round2(seconds) };
  console.log(JSON.stringify({ bench: 'zero-downtime', method, ...fields }));
  const first = r.failures.slice(0, 3).join(' | ');
  const bodies = Object.entries(r.bodies)
    .map(([b, n]) => `${b} ${n}`)
    .join(', ');
  console.error(
    `${method}: ${r.retried} keep-alive races retried once (as browsers do); answers: ${bodies}; first failures: ${first || 'none'}`,
  );
}

/** `canary:` lines of a progressive site, judged on its access log, with its header route. */
const canaryYaml = (steps: string, gates: string) => (p: SitePaths) =>
  `  canary:
    steps: ${steps}
    gates: ${gates}
    access-log: ${p.accessLog}
    route: { header: ${ROUTE_HEADER}, file: ${p.routeFile} }
`;

/** blue-green on a site of its own: v1 (no load), then v2 into the other slot under load. */
async function blueGreen(minRequests: number): Promise<void> {
  const site = await progressiveSite('rbbenchbg', {
    strategy: 'blue-green',
    strategyYaml: '  blue-green: { standby: 10m, verify: 3 }',
  });
  try {
    const deploy = (version: string) => runStep('deploy', { inputs: { ...site.inputs, version }, timeoutMs: 120_000 });
    const first = await deploy('v1');
    if (first.code !== 0) throw new Error(`blue-green: the v1 deploy failed:\n${first.stdout}`);
    await measure('blue-green', `${site.url}/version`, minRequests, async () => {
      const r = await deploy('v2');
      if (r.code !== 0) throw new Error(`blue-green: the v2 deploy failed:\n${r.stdout}`);
    });
  } finally {
    await site.close();
  }
}

/** canary on a site of its own: v1 by rolling, then a canary of v2 under load through 25 %, 50 %, 100 %, promoted. */
async function canary(minRequests: number): Promise<void> {
  const site = await progressiveSite('rbbenchcanary', {
    strategy: 'canary',
    strategyYaml: canaryYaml(
      '[{ weight: 25, pause: 5s }, { weight: 50, pause: 5s }, { weight: 100, pause: 3s }]',
      '{ error-rate: 0.01, min-samples: 50 }',
    ),
  });
  try {
    const first = await runStep('deploy', {
      inputs: { ...site.inputs, config: site.variant('', 'rolling'), version: 'v1' },
      timeoutMs: 120_000,
    });
    if (first.code !== 0) throw new Error(`canary: the v1 deploy failed:\n${first.stdout}`);
    await measure('canary', `${site.url}/version`, minRequests, async () => {
      const r = await runStep('deploy', { inputs: { ...site.inputs, version: 'v2' }, timeoutMs: 120_000 });
      if (r.code !== 0) throw new Error(`canary: the v2 deploy failed:\n${r.stdout}`);
      const v2 = site.journal().releases.at(-1);
      const steps = v2?.canary?.steps.map((s) => `${s.weight}:${s.verdict}`).join(' ');
      if (v2?.status !== 'live' || v2.canary?.state !== 'promoted')
        throw new Error(`canary: v2 is ${v2?.status}, its canary ${v2?.canary?.state} (steps ${steps})`);
      console.error(`canary: steps ${steps}`);
    });
  } finally {
    await site.close();
  }
}

/** The body of the flaky image's own HTTP 500 (test/sandbox/app/rootfs/app/front). */
const FLAKY_500 = /^flaky: /;

/**
 * traffic-rollback on a site of its own: v1 by rolling, then a canary of `flaky` (HTTP 500 on ~5 % of /version) under
 * load, at 50 % for up to 20 s; its first gate sees the breach (the window ends early once min-samples back it) and
 * the abort puts the upstream back.
 *
 * `failed`: requests that failed for any reason other than a 500 the flaky canary answered itself — those are what
 * the gate is there to detect, not a fault of the switch; they are reported apart as `canary_errors`.
 *
 * `seconds`: from the failing verdict to the first moment after which every request is answered by the old version
 * (v1). The start is the journal's `canary.steps[i].endedAt` of the failing step: the deploy's clock read when the
 * judgement was made, to the millisecond, the same machine's clock as ours — exact, where the `step 1 (50%): fail —`
 * log line comes after the journal write and reaches us through a pipe (its arrival is printed beside it, to compare).
 * The end is when the last answer not from v1 (the canary's `flaky` or its 500) arrived back at the load: every
 * answer after it is v1's. Arrival rather than send time, since only answers are timestamped (startLoad's `expected`
 * hook sees each answer as it comes); a request in flight is counted until its answer is in, so this errs long. A
 * request that got no answer at all is not on this timeline, but counts in `failed`.
 */
async function trafficRollback(minRequests: number): Promise<void> {
  const site = await progressiveSite('rbbenchtr', {
    strategy: 'canary',
    strategyYaml: canaryYaml(
      '[{ weight: 50, pause: 20s }, { weight: 100, pause: 2s }]',
      '{ error-rate: 0.01, min-samples: 60 }',
    ),
  });
  try {
    const first = await runStep('deploy', {
      inputs: { ...site.inputs, config: site.variant('', 'rolling'), version: 'v1' },
      timeoutMs: 120_000,
    });
    if (first.code !== 0) throw new Error(`traffic-rollback: the v1 deploy failed:\n${first.stdout}`);
    // Every answer's arrival (epoch ms) and whether it was the old version's.
    const answers: Array<{ at: number; old: boolean }> = [];
    const expected: Expected = (status, _headers, body) => {
      answers.push({ at: Date.now(), old: status >= 200 && status < 300 && body === 'v1' });
      return status === 500 && FLAKY_500.test(body) ? 'canary-500' : undefined;
    };
    let verdictAt = Number.NaN;
    let logLineAt = Number.NaN;
    await measure(
      'traffic-rollback',
      `${site.url}/version`,
      minRequests,
      async () => {
        let out = '';
        const r = await runStep('deploy', {
          inputs: { ...site.inputs, version: 'flaky' },
          timeoutMs: 120_000,
          onSpawn: (child) =>
            child.stdout?.on('data', (d: Buffer) => {
              out += d.toString();
              if (Number.isNaN(logLineAt) && /step \d+ \(\d+%\): fail —/.test(out)) logLineAt = Date.now();
            }),
        });
        if (r.code === 0) throw new Error(`traffic-rollback: the flaky canary was not aborted:\n${r.stdout}`);
        const release = site.journal().releases.at(-1);
        const failing = release?.canary?.steps.find((s) => s.verdict === 'fail');
        if (release?.version !== 'flaky' || release.canary?.state !== 'aborted' || !failing?.endedAt)
          throw new Error(`traffic-rollback: no canary aborted on a failing step:\n${r.stdout}`);
        verdictAt = Date.parse(failing.endedAt);
        console.error(
          `traffic-rollback: step ${failing.step + 1} (${failing.weight}%) fail — ${failing.reasons.join('; ')}`,
        );
      },
      {
        expected,
        fields: (r) => {
          const lastNew = answers.findLast((a) => !a.old)?.at ?? verdictAt;
          const after = answers.filter((a) => a.at > lastNew).length;
          console.error(
            `traffic-rollback: verdict ${new Date(verdictAt).toISOString()}, its log line arrived ${logLineAt - verdictAt} ms later, the last answer not v1's ${lastNew - verdictAt} ms after the verdict; ${after} answers after it, all v1`,
          );
          return {
            requests: r.requests,
            failed: r.failed,
            seconds: round2(Math.max(0, lastNew - verdictAt) / 1000),
            canary_errors: r.expected['canary-500'] ?? 0,
          };
        },
      },
    );
  } finally {
    await site.close();
  }
}

export async function main(args: string[]): Promise<void> {
  const minRequests = Number(args.find((a) => /^\d+$/.test(a)) ?? 5000);
  const asked = args.filter((a) => !/^\d+$/.test(a));
  const unknown = asked.filter((a) => !(METHODS as readonly string[]).includes(a));
  if (unknown.length > 0) throw new Error(`unknown method(s) ${unknown.join(', ')}; methods: ${METHODS.join(', ')}`);
  const want = (m: Method) => asked.length === 0 || asked.includes(m);
  if (!existsSync(join(REPO_ROOT, '.sandbox/sandbox.json')))
    spawnSync('bash', ['test/sandbox/up.sh'], { stdio: ['ignore', 2, 2] });
  const nginx = sandboxPart('nginx');
  const url = `http://127.0.0.1:${nginx.port}/version`;
  // 1. The runbook's hand script: compose recreates the one container; nginx points at its fixed port.
  if (want('script')) {
    const script = await handScript('rbbench', 18390);
    try {
      await script.up('v1');
      await sleep(2000);
      await measure('script', url, minRequests, async () => {
        await script.up('v2');
        await sleep(5000); // the runbook's "wait a bit"
      });
    } finally {
      await script.down();
    }
  }

  // 2 and 3. Ours: recreate (one replica, brief gap by design) and rolling (two replicas behind nginx).
  for (const [method, strategy, replicas, ports] of [
    ['recreate', 'recreate', 1, [18310, 18319]],
    ['rolling', 'rolling', 2, [18320, 18329]],
  ] as const) {
    if (!want(method)) continue;
    const env = deployEnv({ app: `rbbench${method}`, ports: [ports[0], ports[1]], replicas, strategy });
    const first = await env.deploy('v1');
    if (first.code !== 0) throw new Error(`${method}: the v1 deploy failed:\n${first.stdout}`);
    await measure(method, url, minRequests, async () => {
      const r = await env.deploy('v2');
      if (r.code !== 0) throw new Error(`${method}: the v2 deploy failed:\n${r.stdout}`);
    });
  }

  // 4. Ours on a compose app: the team's compose service rolled replica by replica (two replicas on free ports).
  if (want('compose-rolling')) {
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
  }

  // 5. Taking over the hand-laid site: the team's compose app serves until our replicas are healthy and switched.
  if (want('takeover')) {
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

  // 6, 7 and 8. Progressive delivery, each on a team-style site of its own (closed whatever happens).
  if (want('blue-green')) await blueGreen(minRequests);
  if (want('canary')) await canary(minRequests);
  if (want('traffic-rollback')) await trafficRollback(minRequests);
}
