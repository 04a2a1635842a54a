/**
 * Faults of the reliability matrix that involve deploys behind the sandbox nginx (promises 6, 7, 8, 9, 11, 15, 21):
 * broken versions under ~100 req/s, an nginx test that refuses the new upstream, a rollback whose tag moved, two
 * deploys at once, a SIGINT in the health gate, a failed take-over of a hand-laid site and `pull: never` with the
 * image missing. Each fault uses its own run-unique app, free ports, and removes its containers.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStep, type StepResult } from '../../integration/helpers/action-runner.js';
import { runCli } from '../../integration/helpers/cli.js';
import { type DeployEnvOptions, deployEnv, fetchFresh } from '../../integration/helpers/deploy-env.js';
import { handSite, readUpstream } from '../../integration/helpers/hand-site.js';
import { freePortRange } from '../../integration/helpers/ports.js';
import { sandboxPart } from '../../integration/helpers/sandbox.js';
import { yamlList } from '../../integration/helpers/yaml.js';
import { type Fault, faultSuite, loadText, underLoad } from './fault.js';

const RUN = `${process.pid.toString(36)}${Date.now().toString(36).slice(-3)}`;
const dockerHost = ['-H', `unix://${sandboxPart('docker').socket}`];
const docker = (...args: string[]): string =>
  execFileSync('docker', [...dockerHost, ...args], { encoding: 'utf8' }).trim();
const lines = (s: string): string[] => s.split('\n').filter((l) => l.trim() !== '');
const containers = (label: string, all = true): string[] =>
  lines(docker('ps', ...(all ? ['-a'] : []), '-q', '--no-trunc', '--filter', `label=${label}`)).sort();
const imageId = (ref: string): string => docker('image', 'inspect', '--format', '{{.Id}}', ref);
const imageOf = (container: string): string => docker('inspect', '--format', '{{.Image}}', container);
function removeApp(app: string): void {
  const ids = containers(`io.runbook.app=${app}`);
  if (ids.length > 0) docker('rm', '-f', ...ids);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const errorOf = (r: StepResult): string => /::error::(.*)/.exec(r.stdout)?.[1]?.slice(0, 160) ?? `exit ${r.code}`;
const short = (id: string | undefined): string => (id ?? '?').replace('sha256:', '').slice(0, 12);
const nginx = sandboxPart('nginx');
const upstreamBytes = (): Buffer => readFileSync(nginx.upstreamFile);

/** Run `step` under ~100 req/s to `url`, with a second of load before and after. */
/** An environment behind the sandbox nginx for app `rbf<tag><RUN>` on free ports, with v1 (or `first`) live. */
async function liveEnv(tag: string, o: Partial<DeployEnvOptions> = {}, first = 'v1') {
  const app = `rbf${tag}${RUN}`;
  const env = deployEnv({ app, ports: await freePortRange(10), ...o });
  const r = await env.deploy(first);
  if (r.code !== 0) throw new Error(`setup deploy ${first} of ${app} failed: ${errorOf(r)}`);
  return { app, env };
}

/** A config variant of `env` with its text edited. */
function editedVariant(
  env: ReturnType<typeof deployEnv>,
  change: Partial<DeployEnvOptions>,
  edit: (t: string) => string,
): string {
  const path = env.variant(change);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  return path;
}

/** Promise 7: a version that fails its gate under load leaves the old one serving, 0 failed, exit non-zero. */
function brokenVersion(version: string, deadline: string, why: RegExp): Fault {
  return {
    promise: 7,
    name: `a version that ${version === 'slow' ? 'answers /health slowly (10 s)' : version === 'degraded' ? 'answers 200 {"status":"degraded"}' : 'never gets healthy'}, under ~100 req/s`,
    run: async () => {
      const { app, env } = await liveEnv(version.replace(/[^a-z]/g, '').slice(0, 5));
      try {
        const config = env.variant({ deadline });
        const t0 = performance.now();
        const { result: r, load } = await underLoad(`${env.url}/version`, () => env.deploy(version, { config }));
        const took = (performance.now() - t0) / 1000;
        const served = await env.served();
        const live = env
          .journal()
          .releases.filter((x) => x.status === 'live')
          .map((x) => x.version);
        const survived =
          r.code !== 0 && why.test(r.stdout) && served === 'v1' && live.join() === 'v1' && load.failed === 0;
        return {
          survived,
          detail: `exit ${r.code} after ${took.toFixed(1)}s ("${errorOf(r)}"); ${loadText(load)}; serving ${served}, live in journal: ${live.join() || 'none'}`,
          requests: load.requests,
          requestsFailed: load.failed,
        };
      } finally {
        removeApp(app);
      }
    },
  };
}

/** Promise 8: nginx -t refusing the new upstream (a wrapper that refuses any server the live file does not hold). */
const nginxRefuses: Fault = {
  promise: 8,
  name: 'nginx -t fails on the new upstream during a rolling deploy under ~100 req/s',
  run: async () => {
    const { app, env } = await liveEnv('ngx');
    try {
      const dir = env.stateDir.replace(/\/state$/, '');
      const allowed = join(dir, 'allowed');
      const wrapper = join(dir, 'nginx-t');
      const live = upstreamBytes();
      writeFileSync(allowed, (live.toString().match(/127\.0\.0\.1:\d+/g) ?? []).join(' '));
      writeFileSync(
        wrapper,
        `#!/bin/sh
# nginx -t that refuses any upstream server the live file did not hold when the fault began
allowed=" $(cat ${allowed}) "
for s in $(grep -o '127\\.0\\.0\\.1:[0-9]*' ${nginx.upstreamFile}); do
  case "$allowed" in *" $s "*) ;; *) echo "nginx: [emerg] invalid server \\"$s\\" in ${nginx.upstreamFile}" >&2; exit 1 ;; esac
done
exec ${nginx.test.join(' ')}
`,
      );
      chmodSync(wrapper, 0o755);
      const config = editedVariant(env, {}, (t) => t.replace(/^( +test: ).*$/m, `$1${yamlList([wrapper])}`));
      const { result: r, load } = await underLoad(`${env.url}/version`, () => env.deploy('v2', { config }));
      const after = upstreamBytes();
      const identical = after.equals(live);
      const served = await env.served();
      const running = containers(`io.runbook.app=${app}`, false).map(imageOf);
      const v1 = imageId('runbook-test-app:v1');
      const survived =
        r.code !== 0 && identical && served === 'v1' && load.failed === 0 && running.every((i) => i === v1);
      return {
        survived,
        detail: `exit ${r.code} ("${errorOf(r)}"); upstream file ${identical ? 'byte-identical' : 'CHANGED'} (${live.length} → ${after.length} bytes); ${loadText(load)}; serving ${served}, ${running.length} running, all v1: ${running.every((i) => i === v1)}`,
        requests: load.requests,
        requestsFailed: load.failed,
      };
    } finally {
      removeApp(app);
    }
  },
};

/** Promise 9: v1, v2, v3 (then judged failed) → rollback restores v2's recorded image though the v2 tag moved. */
const rollbackMovedTag: Fault = {
  promise: 9,
  name: "rollback after v1, v2, failed v3 restores v2's recorded image id; the v2 tag was moved to v3's image",
  timeoutMs: 240_000,
  run: async () => {
    const repo = `rbf9img${RUN}`;
    for (const v of ['v1', 'v2', 'v3']) docker('tag', `runbook-test-app:${v}`, `${repo}:${v}`);
    const { app, env } = await liveEnv('rb', { image: repo });
    try {
      for (const v of ['v2', 'v3']) {
        const r = await env.deploy(v);
        if (r.code !== 0) throw new Error(`deploy ${v} failed: ${errorOf(r)}`);
      }
      const j = env.journal();
      const v2 = j.releases.find((x) => x.version === 'v2');
      const recorded = v2?.services.api?.imageId ?? '';
      const kept = containers(`io.runbook.release=${v2?.id}`);
      if (kept.length > 0) docker('rm', '-f', ...kept); // no kept container: the image id must do
      docker('tag', `${repo}:v3`, `${repo}:v2`);
      const tagNow = imageId(`${repo}:v2`);
      const inputs = { config: env.config, environment: 'sandbox', reason: 'v3 failed its smoke test' };
      const { result: r, load } = await underLoad(`${env.url}/version`, async () => {
        const main = await runStep('rollback', { inputs, timeoutMs: 120_000 });
        const post = await runStep('rollback', { inputs, state: main.state });
        return { main, post };
      });
      const running = containers(`io.runbook.app=${app}`, false).map(imageOf);
      const served = await env.served();
      const stillThere = lines(docker('image', 'ls', '-q', '--no-trunc')).includes(recorded);
      const survived =
        r.main.code === 0 &&
        r.post.code === 0 &&
        recorded === imageId('runbook-test-app:v2') &&
        tagNow !== recorded &&
        running.length > 0 &&
        running.every((i) => i === recorded) &&
        served === 'v2' &&
        stillThere &&
        load.failed === 0;
      return {
        survived,
        detail: `rollback exit ${r.main.code}/${r.post.code}; v2 recorded ${short(recorded)}, tag ${repo}:v2 now ${short(tagNow)}; ${running.length} running: ${[...new Set(running.map(short))].join(',')}; ${kept.length} kept containers removed first; image kept by retention: ${stillThere}; ${loadText(load)}`,
        requests: load.requests,
        requestsFailed: load.failed,
      };
    } finally {
      removeApp(app);
      for (const v of ['v1', 'v2', 'v3']) {
        try {
          docker('rmi', `${repo}:${v}`); // only the fault's tag: the image stays under runbook-test-app
        } catch {}
      }
    }
  },
};

const RUN_ENV = {
  GITHUB_RUN_ID: '7700',
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_SERVER_URL: 'https://github.example',
  GITHUB_ACTOR: 'alice',
};

/** Promise 6: a second deploy while the first holds the lock waits lock-wait, then fails naming the holder. */
const twoAtOnce: Fault = {
  promise: 6,
  name: 'two deploys at once: the second fails after lock-wait 2s naming the holder; the first succeeds',
  run: async () => {
    const app = `rbflock${RUN}`;
    const env = deployEnv({ app, ports: await freePortRange(6), replicas: 1, stable: '4s' });
    try {
      const first = env.deploy('v1', {}, RUN_ENV);
      // Wait until the first one holds the lock (the status command reads it without taking it).
      let heldAfter = -1;
      const w0 = performance.now();
      for (let i = 0; i < 100 && heldAfter < 0; i++) {
        const s = await runCli(['status', '--config', env.config, '--env', 'sandbox']);
        if (/lock: HELD/.test(s.out)) heldAfter = (performance.now() - w0) / 1000;
        else await sleep(100);
      }
      const t0 = performance.now();
      const second = await env.deploy('v2', { 'lock-wait': '2s' });
      const waited = (performance.now() - t0) / 1000;
      const r = await first;
      const names = /another deploy holds the lock for .*actions\/runs\/7700 \(actor alice/.test(second.stdout);
      const versions = env.journal().releases.map((x) => `${x.version}:${x.status}`);
      const survived = second.code !== 0 && names && r.code === 0 && versions.join() === 'v1:live';
      return {
        survived,
        detail: `first held the lock after ${heldAfter.toFixed(1)}s; second: exit ${second.code} after ${waited.toFixed(1)}s ("${errorOf(second)}"), names the holder: ${names}; first: exit ${r.code}; journal ${versions.join(' ')}`,
      };
    } finally {
      removeApp(app);
    }
  },
};

/** Promise 11: SIGINT while the new version's health gate waits: lock free, old version serving, next deploy works. */
const sigintInGate: Fault = {
  promise: 11,
  name: 'SIGINT during the health gate under ~100 req/s: lock released, v1 serving, the next deploy proceeds',
  run: async () => {
    const { app, env } = await liveEnv('int');
    try {
      const config = env.variant({ deadline: '30s' });
      let sentAt = 0;
      let exitedAt = 0;
      const { result: r, load } = await underLoad(`${env.url}/version`, () =>
        runStep('deploy', {
          inputs: { config, environment: 'sandbox', version: 'never-healthy' },
          env: RUN_ENV,
          timeoutMs: 90_000,
          onSpawn: (child) => {
            child.stdout?.on('data', (d: Buffer) => {
              if (!sentAt && /: waiting — /.test(d.toString())) {
                sentAt = performance.now();
                child.kill('SIGINT');
              }
            });
          },
        }).finally(() => {
          exitedAt = performance.now();
        }),
      );
      const ended = (exitedAt - sentAt) / 1000;
      const served = await env.served();
      const status = await runCli(['status', '--config', env.config, '--env', 'sandbox']);
      const freeAfterMain = /lock: free/.test(status.out);
      const leftovers = containers(`io.runbook.app=${app}`, false).map(imageOf);
      const v1 = imageId('runbook-test-app:v1');
      const next = await env.deploy('v2', { 'lock-wait': '1s' });
      const servedNext = await env.served();
      const survived =
        sentAt > 0 &&
        r.code !== 0 &&
        /SIGINT received: cancelling/.test(r.stdout) &&
        freeAfterMain &&
        served === 'v1' &&
        leftovers.every((i) => i === v1) &&
        next.code === 0 &&
        servedNext === 'v2' &&
        load.failed === 0;
      return {
        survived,
        detail: `SIGINT ${sentAt ? 'sent in the gate' : 'NEVER SENT'}; exit ${r.code ?? r.signal} ${ended.toFixed(1)}s later ("${errorOf(r)}"); lock after main: ${freeAfterMain ? 'free' : 'HELD'}; serving ${served}, ${leftovers.length} running all v1: ${leftovers.every((i) => i === v1)}; next deploy exit ${next.code}, serving ${servedNext}; ${loadText(load)}`,
        requests: load.requests,
        requestsFailed: load.failed,
      };
    } finally {
      removeApp(app);
    }
  },
};

/** Promise 15: a failed take-over of a hand-laid site under load: 0 failed, the team's upstream file byte-identical. */
const failedTakeover: Fault = {
  promise: 15,
  name: 'a failed take-over (never-healthy) of a hand-laid compose site under ~100 req/s',
  run: async () => {
    const site = await handSite(`f15${RUN}`, { deadline: '4s' });
    try {
      const { result: r, load } = await underLoad(`${site.url}/version`, () =>
        runStep('deploy', { inputs: { ...site.inputs, version: 'never-healthy' }, timeoutMs: 90_000 }),
      );
      const identical = readUpstream(site) === site.original;
      const served = await fetchFresh(`${site.url}/version`);
      const survived = r.code !== 0 && identical && served === 'v1' && load.failed === 0;
      return {
        survived,
        detail: `exit ${r.code} ("${errorOf(r)}"); upstream file ${identical ? 'byte-identical' : 'CHANGED'}; the team app serves ${served}; ${loadText(load)}`,
        requests: load.requests,
        requestsFailed: load.failed,
      };
    } finally {
      await site.close();
    }
  },
};

/** Promise 21: `pull: never` and an image the target lacks: the deploy fails and no target changes. */
const pullNeverMissing: Fault = {
  promise: 21,
  name: '`pull: never` with the image missing on the target changes nothing',
  run: async () => {
    const { app, env } = await liveEnv('pull');
    try {
      const version = `missing-${RUN}`;
      const config = editedVariant(env, {}, (t) => t.replace(/^( +)image: (.*)$/m, '$1image: $2\n$1pull: never'));
      const before = { all: containers(`io.runbook.app=${app}`), running: containers(`io.runbook.app=${app}`, false) };
      const upstream = upstreamBytes();
      const r = await env.deploy(version, { config });
      const after = { all: containers(`io.runbook.app=${app}`), running: containers(`io.runbook.app=${app}`, false) };
      const same =
        after.all.join() === before.all.join() &&
        after.running.join() === before.running.join() &&
        upstreamBytes().equals(upstream);
      const served = await env.served();
      const pulled = /pulling /.test(r.stdout);
      const survived = r.code !== 0 && same && served === 'v1' && !pulled;
      return {
        survived,
        detail: `exit ${r.code} ("${errorOf(r)}"); containers ${before.all.length} → ${after.all.length} (running ${before.running.length} → ${after.running.length}), upstream ${upstreamBytes().equals(upstream) ? 'byte-identical' : 'CHANGED'}, serving ${served}, pull attempted: ${pulled}`,
      };
    } finally {
      removeApp(app);
    }
  },
};

faultSuite('deploys behind nginx', [
  brokenVersion('never-healthy', '4s', /not healthy within 4s \(deadline\)/),
  brokenVersion('degraded', '4s', /status is "degraded", expected "ok"/),
  brokenVersion('slow', '6s', /not healthy within 6s \(deadline\)/),
  nginxRefuses,
  rollbackMovedTag,
  twoAtOnce,
  sigintInGate,
  failedTakeover,
  pullNeverMissing,
]);
