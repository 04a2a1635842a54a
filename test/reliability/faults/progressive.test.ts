/**
 * Faults of the reliability matrix for progressive delivery (issue 13), each on a team-style nginx site of its own
 * (helpers/progressive-site.ts) under ~100 req/s where the design promises 0 failed requests: a canary cancelled by
 * SIGINT in its first step's pause (#18); a canary whose version crashes mid-step (#7); the access log rotated away
 * mid-step without nginx reopening it (#10/#7: inconclusive, never promoted); an upstream whose weighted form nginx -t
 * rejects (#8); a blue-green slot that never gets healthy (#7); hostile foreign lines in the access log, printed never
 * obeyed (#16). Every fault starts its own site and closes it (nginx stopped, containers and files removed).
 */
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { obeyedCommands } from '../../../src/core/untrusted.js';
import type { Release } from '../../../src/deploy/journal.js';
import { runStep, type StepResult } from '../../integration/helpers/action-runner.js';
import {
  type ProgressiveSite,
  progressiveSite,
  ROUTE_HEADER,
  type SitePaths,
} from '../../integration/helpers/progressive-site.js';
import { sandboxPart } from '../../integration/helpers/sandbox.js';
import { dockerAt } from '../../integration/helpers/sandbox-docker.js';
import { type Fault, faultSuite, loadText, underLoad } from './fault.js';

const docker = dockerAt(sandboxPart('docker').host);
const _sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const errorOf = (r: StepResult): string => /::error::(.*)/.exec(r.stdout)?.[1]?.slice(0, 160) ?? `exit ${r.code}`;
const secs = (fromMs: number, toMs = performance.now()) => ((toMs - fromMs) / 1000).toFixed(1);

/** `canary:` lines for a site (its access log and route) with these steps and gates. */
const canaryYaml =
  (steps: string, gates: string, extra = '') =>
  (p: SitePaths) =>
    `  canary:
    steps: ${steps}
    gates: ${gates}
    access-log: ${p.accessLog}
    route: { header: ${ROUTE_HEADER}, file: ${p.routeFile} }
${extra}`;

/** The ids of `release`'s replicas that run now. */
function runningOf(release: Release | undefined): string[] {
  const ids = Object.values(release?.services ?? {}).flatMap((s) => s.replicas.map((r) => r.id));
  return ids.filter((id) => {
    try {
      return docker('inspect', '-f', '{{.State.Running}}', id) === 'true';
    } catch {
      return false;
    }
  });
}
/** Ids of the app's running containers, sorted. */
const runningApp = (app: string): string[] =>
  docker('ps', '-q', '--no-trunc', '--filter', `label=io.runbook.app=${app}`)
    .split('\n')
    .filter((id) => id !== '')
    .sort();

/** A site with `first` live (a rolling deploy, as a team's first release would be). */
async function liveSite(name: string, strategy: 'canary' | 'blue-green', first = 'v1'): Promise<ProgressiveSite> {
  const site = await progressiveSite(name, { strategy });
  try {
    const r = await runStep('deploy', {
      inputs: { ...site.inputs, config: site.variant('', 'rolling'), version: first },
      timeoutMs: 90_000,
    });
    if (r.code !== 0) throw new Error(`setup deploy ${first} failed: ${errorOf(r)}`);
    return site;
  } catch (err) {
    await site.close();
    throw err;
  }
}

/** Run `step` under ~100 req/s to the site's /version, with a second of load before and after. */
/** 20 GETs of /version through nginx (each on its own connection): the versions that answered. */
async function servedNow(site: ProgressiveSite, headers: Record<string, string> = {}): Promise<string[]> {
  const one = async () => {
    const res = await fetch(`${site.url}/version`, { headers: { ...headers, connection: 'close' } });
    return (await res.text()).trim();
  };
  return [...new Set(await Promise.all(Array.from({ length: 20 }, one)))].sort();
}

/** A deploy step of `version` with `config`, calling `onData` with each stdout chunk (and the child). */
function deployStep(
  site: ProgressiveSite,
  version: string,
  config: string,
  onData?: (text: string, child: ChildProcess) => void,
): Promise<StepResult> {
  return runStep('deploy', {
    inputs: { ...site.inputs, config, version },
    timeoutMs: 120_000,
    onSpawn: onData ? (child) => child.stdout?.on('data', (d: Buffer) => onData(d.toString(), child)) : undefined,
  });
}

/** The canary's first progress line of step 1: `step 1 (W%): N s of M s; canary …`. */
const PROGRESS = /step 1 \(\d+%\): \d+ s of \d+ s; canary (\d+) req/;

/** What a canary left: its release in the journal, the releases live there, its replicas still running. */
function canaryAfter(site: ProgressiveSite, version: string) {
  const j = site.journal();
  const release = [...j.releases].reverse().find((r) => r.version === version);
  const live = j.releases.filter((r) => r.status === 'live').map((r) => r.version);
  return { release, live, canaryRunning: runningOf(release) };
}

// ---- #18: SIGINT in the first step's pause ----

const cancelMidStep: Fault = {
  promise: 18,
  name: "SIGINT to a canary's deploy step in its first step's pause under ~100 req/s: aborted, lock released, 0 failed",
  run: async () => {
    const site = await liveSite('fcancel', 'canary');
    try {
      const config = site.variant(
        canaryYaml('[{ weight: 50, pause: 30s }, { weight: 100, pause: 0s }]', '{ error-rate: 0.01, min-samples: 20 }'),
      );
      const upstream = readFileSync(site.upstreamFile);
      let sentAt = 0;
      let exitedAt = 0;
      const t0 = performance.now();
      const { result: r, load } = await underLoad(`${site.url}/version`, () =>
        deployStep(site, 'v2', config, (text, child) => {
          if (!sentAt && PROGRESS.test(text)) {
            sentAt = performance.now();
            child.kill('SIGINT');
          }
        }).finally(() => {
          exitedAt = performance.now();
        }),
      );
      const identical = readFileSync(site.upstreamFile).equals(upstream);
      const { release, live, canaryRunning } = canaryAfter(site, 'v2');
      const served = await servedNow(site);
      const routed = await servedNow(site, { [ROUTE_HEADER]: '1' });
      // The lock: a following deploy (rolling v3, lock-wait 1s) runs.
      const next = await runStep('deploy', {
        inputs: { ...site.inputs, config: site.variant('', 'rolling'), version: 'v3', 'lock-wait': '1s' },
        timeoutMs: 90_000,
      });
      const servedNext = await site.served();
      const survived =
        sentAt > 0 &&
        r.code !== 0 &&
        r.code !== null &&
        /SIGINT received: cancelling/.test(r.stdout) &&
        identical &&
        canaryRunning.length === 0 &&
        release?.status !== 'live' &&
        release?.canary?.state === 'aborted' &&
        live.join() === 'v1' &&
        served.join() === 'v1' &&
        routed.join() === 'v1' &&
        next.code === 0 &&
        servedNext === 'v3';
      return {
        survived,
        detail: `SIGINT ${sentAt ? `sent ${secs(t0, sentAt)}s into the run, in step 1's pause` : 'NEVER SENT'}; exit ${r.code ?? r.signal} ${sentAt ? secs(sentAt, exitedAt) : '?'}s later ("${errorOf(r)}"); upstream file ${identical ? 'byte-identical' : 'CHANGED'}; v2 ${release?.status}/${release?.canary?.state}, ${canaryRunning.length} canary container(s) running; serving ${served.join(',')} (with ${ROUTE_HEADER}: ${routed.join(',')}); next deploy exit ${next.code}, serving ${servedNext}; ${loadText(load)}`,
        requests: load.requests,
        requestsFailed: load.failed,
      };
    } finally {
      await site.close();
    }
  },
};

// ---- #7: the canary's version crashes mid-step ----

const crashMidStep: Fault = {
  promise: 7,
  name: 'a canary whose version crashes (exit 3) 20 s after start, in a 30 s step under ~100 req/s: aborted, 0 failed',
  run: async () => {
    const site = await liveSite('fcrash', 'canary');
    try {
      const siteConf = readFileSync(site.upstreamFile.replace(/upstream\.conf$/, 'site.conf'), 'utf8');
      const retries = /proxy_next_upstream error timeout/.test(siteConf);
      const config = site.variant(
        canaryYaml('[{ weight: 50, pause: 30s }, { weight: 100, pause: 2s }]', '{ error-rate: 0.01, min-samples: 20 }'),
      );
      const upstream = readFileSync(site.upstreamFile);
      const t0 = performance.now();
      const { result: r, load } = await underLoad(`${site.url}/version`, () => deployStep(site, 'crash', config));
      const took = secs(t0);
      const identical = readFileSync(site.upstreamFile).equals(upstream);
      const { release, live, canaryRunning } = canaryAfter(site, 'crash');
      const step = release?.canary?.steps[0];
      const served = await servedNow(site);
      // How often Docker restarted the canary's replicas (restart policy unless-stopped) while it was judged.
      const restarts = Object.values(release?.services ?? {})
        .flatMap((s) => s.replicas.map((x) => x.id))
        .map((id) => {
          try {
            return docker('inspect', '-f', '{{.RestartCount}}/{{.State.ExitCode}}', id);
          } catch {
            return 'gone';
          }
        });
      const survived =
        retries &&
        r.code !== 0 &&
        release?.canary?.state === 'aborted' &&
        release.status === 'failed' &&
        step?.verdict === 'fail' &&
        identical &&
        canaryRunning.length === 0 &&
        live.join() === 'v1' &&
        served.join() === 'v1';
      return {
        survived,
        detail: `exit ${r.code} after ${took}s ("${errorOf(r)}"); step 1: ${step?.verdict ?? 'none'} (canary ${step?.canary?.requests ?? '?'} req, ${step?.canary?.errors ?? '?'} err); canary replicas' restarts/last exit: ${restarts.join(', ')}; site retries on the stable servers (proxy_next_upstream): ${retries}; upstream file ${identical ? 'byte-identical' : 'CHANGED'}; ${canaryRunning.length} canary container(s) running; serving ${served.join(',')}, live in journal: ${live.join() || 'none'}; ${loadText(load)}`,
        requests: load.requests,
        requestsFailed: load.failed,
      };
    } finally {
      await site.close();
    }
  },
};

// ---- #10/#7: the access log rotated away mid-step, nginx not told to reopen ----

const logRotatedAway: Fault = {
  promise: 10,
  name: 'the access log rotated away mid-step (logrotate `create` without a reopen): inconclusive, aborted, never promoted',
  run: async () => {
    const site = await liveSite('frotate', 'canary');
    const moved = `${site.accessLog}.1`;
    try {
      // 50 % of ~100 req/s for 20 s is ~1,000 canary requests: enough for 600 unless the log stops being read.
      const config = site.variant(
        canaryYaml(
          '[{ weight: 50, pause: 20s }, { weight: 100, pause: 1s }]',
          '{ error-rate: 0.01, min-samples: 600 }',
        ),
      );
      const upstream = readFileSync(site.upstreamFile);
      let rotatedAt = 0;
      let seenBefore = -1;
      let movedSize = 0;
      const t0 = performance.now();
      const { result: r, load } = await underLoad(`${site.url}/version`, () =>
        deployStep(site, 'v2', config, (text) => {
          const m = PROGRESS.exec(text);
          if (!rotatedAt && m) {
            // What logrotate does with `create` and no postrotate reopen: the file moved aside, an empty one in its
            // place; nginx keeps writing to the moved file (its open descriptor).
            rotatedAt = performance.now();
            seenBefore = Number(m[1]);
            renameSync(site.accessLog, moved);
            writeFileSync(site.accessLog, '');
            movedSize = statSync(moved).size;
          }
        }),
      );
      // Lines nginx wrote to the moved file after the rotation: traffic the step could not see.
      const unseen = existsSync(moved)
        ? readFileSync(moved).subarray(movedSize).toString().split('\n').filter(Boolean).length
        : 0;
      const identical = readFileSync(site.upstreamFile).equals(upstream);
      const { release, live, canaryRunning } = canaryAfter(site, 'v2');
      const steps = release?.canary?.steps ?? [];
      const step = steps[0];
      const served = await servedNow(site);
      const survived =
        rotatedAt > 0 &&
        r.code !== 0 &&
        /step 1 \(50%\): inconclusive — canary: \d+ of 600 samples/.test(r.stdout) &&
        steps.map((s) => s.verdict).join() === 'inconclusive' &&
        release?.canary?.state === 'aborted' &&
        release.status !== 'live' &&
        identical &&
        canaryRunning.length === 0 &&
        live.join() === 'v1' &&
        served.join() === 'v1';
      return {
        survived,
        detail: `log rotated ${rotatedAt ? `${secs(t0, rotatedAt)}s into the run, after ${seenBefore} canary requests were read` : 'NEVER'}; ${/was rotated; reading the new file/.test(r.stdout) ? 'the step said the log was rotated' : 'the rotation was NOT reported'}; exit ${r.code} ("${errorOf(r)}"); step 1 ${step?.verdict ?? 'none'} on ${step?.canary?.requests ?? '?'} canary samples while nginx wrote ${unseen} lines to the moved file; v2 ${release?.status}/${release?.canary?.state}; upstream file ${identical ? 'byte-identical' : 'CHANGED'}; serving ${served.join(',')}; ${loadText(load)}`,
        requests: load.requests,
        requestsFailed: load.failed,
      };
    } finally {
      await site.close();
    }
  },
};

// ---- #8: an upstream whose weighted form nginx -t rejects ----

const weightedRejected: Fault = {
  promise: 8,
  name: 'a canary over an upstream nginx -t rejects in its weighted form (backup server + sticky) under ~100 req/s',
  run: async () => {
    const site = await liveSite('fngxt', 'canary');
    try {
      // The team's maintenance server after the others: nginx refuses `backup` once the block balances by hash.
      const text = readFileSync(site.upstreamFile, 'utf8').replace(
        /\n}\n$/,
        '\n    server 127.0.0.1:9 backup;  # maintenance page\n}\n',
      );
      if (!text.includes('backup;')) throw new Error('could not add the backup server to the upstream');
      writeFileSync(site.upstreamFile, text);
      const upstream = readFileSync(site.upstreamFile);
      const config = site.variant(
        canaryYaml(
          '[{ weight: 30, pause: 2s }, { weight: 100, pause: 1s }]',
          '{ error-rate: 0.01, min-samples: 20 }',
          '    sticky: { address: true }\n',
        ),
      );
      const before = runningApp(site.app);
      const { result: r, load } = await underLoad(`${site.url}/version`, () => deployStep(site, 'v2', config));
      const identical = readFileSync(site.upstreamFile).equals(upstream);
      const after = runningApp(site.app);
      const { release, live, canaryRunning } = canaryAfter(site, 'v2');
      const served = await servedNow(site);
      const rejected = /nginx rejected the new upstream/.test(r.stdout);
      const survived =
        r.code !== 0 &&
        rejected &&
        identical &&
        after.join() === before.join() &&
        canaryRunning.length === 0 &&
        release?.status !== 'live' &&
        live.join() === 'v1' &&
        served.join() === 'v1';
      return {
        survived,
        detail: `exit ${r.code} ("${errorOf(r)}"); nginx -t rejection reported: ${rejected}; upstream file ${identical ? 'byte-identical' : 'CHANGED'}; running containers ${before.length} → ${after.length}, ${after.join() === before.join() ? 'the same' : 'DIFFERENT'}; v2 ${release?.status}/${release?.canary?.state}; serving ${served.join(',')}; ${loadText(load)}`,
        requests: load.requests,
        requestsFailed: load.failed,
      };
    } finally {
      await site.close();
    }
  },
};

// ---- #7: a blue-green slot that never gets healthy ----

const blueGreenNeverHealthy: Fault = {
  promise: 7,
  name: 'a blue-green deploy of a version that never gets healthy under ~100 req/s: live and standby slots as they were',
  run: async () => {
    const site = await progressiveSite('fbg', {
      strategy: 'blue-green',
      strategyYaml: '  blue-green: { standby: 10m }',
    });
    try {
      for (const v of ['v1', 'v2']) {
        const r = await runStep('deploy', { inputs: { ...site.inputs, version: v }, timeoutMs: 90_000 });
        if (r.code !== 0) throw new Error(`setup deploy ${v} failed: ${errorOf(r)}`);
      }
      const j = site.journal();
      const v1 = j.releases.find((x) => x.version === 'v1');
      const v2 = j.releases.find((x) => x.version === 'v2');
      const standbyBefore = runningOf(v1).sort();
      const liveBefore = runningOf(v2).sort();
      const upstream = readFileSync(site.upstreamFile);
      const t0 = performance.now();
      const { result: r, load } = await underLoad(`${site.url}/version`, () =>
        runStep('deploy', { inputs: { ...site.inputs, version: 'never-healthy' }, timeoutMs: 90_000 }),
      );
      const took = secs(t0);
      const identical = readFileSync(site.upstreamFile).equals(upstream);
      const standbyAfter = runningOf(v1).sort();
      const liveAfter = runningOf(v2).sort();
      const nh = site.journal().releases.find((x) => x.version === 'never-healthy');
      const nhRunning = runningOf(nh);
      // The standby answers on its own ports (out of the upstream), ready for a traffic rollback.
      const standbyAnswers = await Promise.all(
        (v1?.services.api?.replicas ?? []).map(async (x) => {
          try {
            const res = await fetch(`http://127.0.0.1:${x.port}/version`, { headers: { connection: 'close' } });
            return (await res.text()).trim();
          } catch (err) {
            return `no answer (${(err as Error).message})`;
          }
        }),
      );
      const served = await servedNow(site);
      const survived =
        r.code !== 0 &&
        identical &&
        standbyBefore.length > 0 &&
        standbyAfter.join() === standbyBefore.join() &&
        liveAfter.join() === liveBefore.join() &&
        standbyAnswers.every((a) => a === 'v1') &&
        nhRunning.length === 0 &&
        served.join() === 'v2';
      return {
        survived,
        detail: `exit ${r.code} after ${took}s ("${errorOf(r)}"); upstream file ${identical ? 'byte-identical' : 'CHANGED'}; live v2 ${liveBefore.length} → ${liveAfter.length} running (${liveAfter.join() === liveBefore.join() ? 'the same containers' : 'DIFFERENT'}), standby v1 ${standbyBefore.length} → ${standbyAfter.length} (${standbyAfter.join() === standbyBefore.join() ? 'the same containers' : 'DIFFERENT'}, answering ${standbyAnswers.join(',')}); ${nhRunning.length} never-healthy running; serving ${served.join(',')}; ${loadText(load)}`,
        requests: load.requests,
        requestsFailed: load.failed,
      };
    } finally {
      await site.close();
    }
  },
};

// ---- #16: hostile foreign lines in the access log ----

/** Lines a writer of the access log controls; each `PWNED-…` would be a command's data if the runner obeyed it. */
const HOSTILE_LINES = [
  '::error::PWNED-error',
  '::add-mask::PWNED-mask',
  '##[set-output name=x]PWNED-legacy',
  'ok ##[error]PWNED-legacy-mid',
  'fine\r::warning::PWNED-cr',
  '  ::notice::PWNED-indented',
  '::stop-commands::PWNED-stop',
  // In the format, with a command as its upstream address: parsed, but no version's server.
  'runbook1 1700000000.000 500 0.001 "::error::PWNED-addr" "500" "0.001"',
];
const hostileObeyed = (r: StepResult) =>
  obeyedCommands(`${r.stdout}\n${r.stderr}`).filter((c) => c.data.startsWith('PWNED') || c.name.includes('PWNED'));

const hostileAccessLog: Fault = {
  promise: 16,
  name: 'hostile lines in the access log (::error::, ##[set-output], \\r::warning::, …) are ignored by the gates, printed never obeyed',
  run: async () => {
    const site = await liveSite('fhostile', 'canary');
    try {
      const config = site.variant(
        canaryYaml('[{ weight: 50, pause: 10s }, { weight: 100, pause: 2s }]', '{ error-rate: 0.01, min-samples: 20 }'),
      );
      let writtenAt = 0;
      const t0 = performance.now();
      const hostile = `${HOSTILE_LINES.join('\n')}\n`;
      const { result: r, load } = await underLoad(`${site.url}/version`, () =>
        deployStep(site, 'v2', config, (text) => {
          if (!writtenAt && PROGRESS.test(text)) {
            writtenAt = performance.now();
            appendFileSync(site.accessLog, hostile);
          }
        }),
      );
      const v2 = site.journal().releases.find((x) => x.version === 'v2');
      const step = v2?.canary?.steps[0];
      // pre-deploy-check reads the log's last lines and names the first foreign one: each hostile line in turn as the
      // log's newest (after a few lines in the format), so each is the one its failure quotes.
      const valid = readFileSync(site.accessLog, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('runbook1 '))
        .slice(-5);
      const checks: Array<{ line: string; r: StepResult }> = [];
      for (const line of HOSTILE_LINES.filter((l) => !l.startsWith('runbook1 '))) {
        writeFileSync(site.accessLog, `${[...valid, line].join('\n')}\n`);
        checks.push({
          line,
          r: await runStep('pre-deploy-check', { inputs: { ...site.inputs, config }, timeoutMs: 60_000 }),
        });
      }
      const quoted = checks.filter(({ line, r }) => r.stdout.includes(/PWNED-[a-z-]+/.exec(line)?.[0] ?? line)).length;
      const obeyed = [r, ...checks.map((c) => c.r)].flatMap(hostileObeyed);
      const served = await site.served();
      const survived =
        writtenAt > 0 &&
        r.code === 0 &&
        v2?.status === 'live' &&
        v2.canary?.state === 'promoted' &&
        step?.verdict === 'pass' &&
        step.canary?.errors === 0 &&
        obeyed.length === 0 &&
        quoted === checks.length &&
        served === 'v2';
      return {
        survived,
        detail: `${HOSTILE_LINES.length} hostile lines appended ${writtenAt ? `${secs(t0, writtenAt)}s into the run, in step 1's window` : 'NEVER'}; deploy exit ${r.code}, v2 ${v2?.status}/${v2?.canary?.state}, step 1 ${step?.verdict} on canary ${step?.canary?.requests} req/${step?.canary?.errors} err, stable ${step?.stable?.requests} req/${step?.stable?.errors} err; pre-deploy-check run with each foreign one newest: exit ${[...new Set(checks.map((c) => c.r.code))].join('/')}, quoting it ${quoted} of ${checks.length} times; obeyed as commands: ${obeyed.length}${obeyed.length ? ` (${obeyed.map((c) => `${c.name}:${JSON.stringify(c.data)}`).join(', ')})` : ''}; serving ${served}; ${loadText(load)}`,
        requests: load.requests,
        requestsFailed: load.failed,
      };
    } finally {
      await site.close();
    }
  },
};

faultSuite('progressive delivery', [
  cancelMidStep,
  crashMidStep,
  logRotatedAway,
  weightedRejected,
  blueGreenNeverHealthy,
  hostileAccessLog,
]);
