/**
 * Blue-green and canary for the compose driver (issue 13): the team's compose app (helpers/compose-site.ts: a
 * docker-compose.yml on the host network reading PORT, its secret in an env file, a named volume, a healthcheck)
 * behind a nginx of its own (helpers/progressive-site.ts, `driver: 'compose'`), under ~100 req/s. Blue-green v1 → v2
 * switches slots with 0 failed requests, v1's containers left running as the standby out of the upstream, both slots
 * on the one named volume, the env file's secret in no output; rollback scope traffic switches back, 0 failed. A
 * canary v2 → v3 judged on the access log is promoted step by step, 0 failed; a canary of a version answering ~5 %
 * errors is aborted at its first gate, the live release serving everything and the upstream byte-identical.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep, type StepResult } from './helpers/action-runner.js';
import { type LoadResult, startLoad } from './helpers/load.js';
import { type ProgressiveSite, progressiveSite, ROUTE_HEADER } from './helpers/progressive-site.js';
import { sandboxPart } from './helpers/sandbox.js';
import { appContainers, dockerAt } from './helpers/sandbox-docker.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `canary:` lines for the site (its access log and route), with these steps and gates. */
const canaryYaml =
  (steps: string, gates: string) =>
  (p: { accessLog: string; routeFile: string }): string =>
    `  canary:
    steps: ${steps}
    gates: ${gates}
    access-log: ${p.accessLog}
    route: { header: ${ROUTE_HEADER}, file: ${p.routeFile} }
`;

describe('compose app, blue-green then canary, behind its own nginx under load', () => {
  let site: ProgressiveSite;
  const docker = dockerAt(sandboxPart('docker').host);
  const outputs: string[] = [];
  const loads: Record<string, LoadResult> = {};
  beforeAll(async () => {
    site = await progressiveSite('pgcompose', {
      driver: 'compose',
      strategy: 'blue-green',
      strategyYaml: '  blue-green: { standby: 10m, verify: 3 }',
    });
  }, 60_000);
  afterAll(async () => {
    for (const [name, l] of Object.entries(loads)) {
      console.info(`${name}: ${l.requests} requests, ${l.failed} failed, ${l.retried} retried`, l.bodies);
    }
    await site?.close();
  }, 60_000);

  const step = async (name: string, inputs: Record<string, string>): Promise<StepResult> => {
    const r = await runStep(name, { inputs: { ...site.inputs, ...inputs }, timeoutMs: 180_000 });
    outputs.push(r.stdout, r.stderr, JSON.stringify(r.outputs), r.summary);
    return r;
  };
  const deploy = (version: string, config = site.config) => step('deploy', { config, version });
  const underLoad = async (name: string, run: () => Promise<void>): Promise<LoadResult> => {
    const load = startLoad(`${site.url}/version`, { workers: 4, ratePerSecond: 100, maxSeconds: 170 });
    await sleep(800);
    let result: LoadResult | undefined;
    try {
      await run();
      await sleep(800);
    } finally {
      result = await load.stop();
      loads[name] = result;
    }
    return result;
  };
  const replicasOf = (version: string) =>
    site.journal().releases.findLast((r) => r.version === version)?.services[site.service]?.replicas ?? [];
  const running = (id: string) => docker('inspect', '--format', '{{.State.Running}}', id) === 'true';

  it('blue-green v1 → v2: one switch, 0 failed, v1 the standby, one volume for both slots', async () => {
    const r1 = await deploy('v1');
    expect(r1.code, r1.stdout).toBe(0);
    expect(r1.stdout).toContain(`created volume ${site.compose?.project}_appdata`);
    expect(await site.served()).toBe('v1');
    const v1 = replicasOf('v1');
    expect(v1).toHaveLength(2);
    // The env file reached the containers; v1 writes into the named volume.
    const env = JSON.parse(docker('inspect', '--format', '{{json .Config.Env}}', v1[0]?.id ?? '')) as string[];
    expect(env).toContain(`APP_SECRET=${site.compose?.secret}`);
    docker('exec', v1[0]?.id ?? '', 'sh', '-c', `echo written-by-v1 > /data/marker`);

    let stdout = '';
    const load = await underLoad('blue-green v1 → v2', async () => {
      const r = await deploy('v2');
      stdout = r.stdout;
      expect(r.code, r.stdout).toBe(0);
      expect(r.summary).toMatch(/^<h2>✅ Deploy: deployed — v2 → sandbox<\/h2>/);
      expect(r.summary).toMatch(/<h3>Release<\/h3>\n<p>\S+: v2 is live\. Release <code>/);
    });
    expect(load.failed, load.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(load.bodies.v1).toBeGreaterThan(0);
    expect(load.bodies.v2).toBeGreaterThan(0);
    expect(stdout).toMatch(/switch to the (blue|green) slot/);
    expect(stdout).toMatch(/3 request\(s\) through nginx answered after the switch/);
    const j = site.journal();
    const [r1j, r2j] = j.releases;
    expect(r2j).toMatchObject({ version: 'v2', status: 'live', driver: 'compose', strategy: 'blue-green' });
    expect(r2j?.slot).not.toBe(r1j?.slot);
    expect(r2j?.standby?.release).toBe(r1j?.id);
    // The standby: v1's containers still run and answer on their own ports, out of the upstream.
    const upstream = readFileSync(site.upstreamFile, 'utf8');
    for (const r of v1) {
      expect(running(r.id)).toBe(true);
      expect(upstream).not.toContain(`127.0.0.1:${r.port} `);
      expect((await (await fetch(`http://127.0.0.1:${r.port}/version`)).text()).trim()).toBe('v1');
    }
    // Both slots mount the one named volume: v2 reads what v1 wrote.
    const v2 = replicasOf('v2');
    expect(v2).toHaveLength(2);
    for (const r of v2) {
      expect(upstream).toContain(`127.0.0.1:${r.port}`);
      expect(docker('exec', r.id, 'cat', '/data/marker')).toBe('written-by-v1');
    }
    expect(await site.served()).toBe('v2');
  }, 240_000);

  it('rollback scope traffic switches back to the v1 standby at once, 0 failed', async () => {
    const load = await underLoad('rollback traffic v2 → v1', async () => {
      const r = await step('rollback', { scope: 'traffic', reason: 'test', smoke: 'false' });
      expect(r.code, r.stdout).toBe(0);
    });
    expect(load.failed, load.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(load.bodies.v1).toBeGreaterThan(0);
    expect(await site.served()).toBe('v1');
    expect(site.journal().releases.map((r) => `${r.version}:${r.status}`)).toEqual(['v1:live', 'v2:rolled-back']);
  }, 120_000);

  it('canary v2 → v3 judged on the access log: promoted step by step, 0 failed', async () => {
    // v2 live again (blue-green), then v3 as a canary over it.
    const r2 = await deploy('v2');
    expect(r2.code, r2.stdout).toBe(0);
    expect(await site.served()).toBe('v2');
    const config = site.variant(
      canaryYaml('[{ weight: 50, pause: 4s }, { weight: 100, pause: 2s }]', '{ error-rate: 0.01, min-samples: 20 }'),
      'canary',
    );
    let stdout = '';
    const load = await underLoad('canary v2 → v3', async () => {
      const r = await deploy('v3', config);
      stdout = r.stdout;
      expect(r.code, r.stdout).toBe(0);
    });
    expect(load.failed, load.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(load.bodies.v2).toBeGreaterThan(0);
    expect(load.bodies.v3).toBeGreaterThan(0);
    expect(stdout).toMatch(/nginx shop_api → .*weight=/);
    const v3 = site.journal().releases.at(-1);
    expect(v3).toMatchObject({ version: 'v3', status: 'live', driver: 'compose', strategy: 'canary' });
    expect(v3?.canary?.state).toBe('promoted');
    expect(v3?.canary?.steps.map((s) => `${s.weight}:${s.verdict}`)).toEqual(['50:pass', '100:pass']);
    expect(v3?.canary?.steps[0]?.canary?.requests).toBeGreaterThanOrEqual(20);
    expect(readFileSync(site.upstreamFile, 'utf8')).not.toMatch(/weight=|hash /);
    // The canary's replicas are the compose service too: the same volume.
    for (const r of replicasOf('v3')) expect(docker('exec', r.id, 'cat', '/data/marker')).toBe('written-by-v1');
    expect(await site.served()).toBe('v3');
  }, 240_000);

  it('a canary answering ~5 % errors is aborted at its first gate: v3 serves all, the upstream unchanged', async () => {
    const before = readFileSync(site.upstreamFile, 'utf8');
    const config = site.variant(
      canaryYaml('[{ weight: 50, pause: 20s }, { weight: 100, pause: 2s }]', '{ error-rate: 0.01, min-samples: 60 }'),
      'canary',
    );
    let stdout = '';
    const load = await underLoad('canary v3 → flaky', async () => {
      const r = await deploy('flaky', config);
      stdout = r.stdout;
      expect(r.code).not.toBe(0);
    });
    expect(stdout).toMatch(
      /step 1 \(50%\): fail — canary error rate [\d.]+% \(\d+ of \d+ requests failed\) > error-rate 1%/,
    );
    expect(stdout).toMatch(/::error::canary flaky aborted: step 1 at 50%25 was fail/);
    expect(readFileSync(site.upstreamFile, 'utf8')).toBe(before);
    const after = await Promise.all(Array.from({ length: 20 }, () => site.served()));
    expect(new Set(after)).toEqual(new Set(['v3']));
    // The errors seen were the canary's own answers (HTTP 500 from flaky), never a switch.
    expect(load.failures.every((f) => f.startsWith('500'))).toBe(true);
    const j = site.journal();
    const flaky = j.releases.at(-1);
    expect(flaky).toMatchObject({ version: 'flaky', status: 'failed' });
    expect(flaky?.canary?.state).toBe('aborted');
    expect(flaky?.canary?.steps.map((s) => s.verdict)).toEqual(['fail']);
    expect(j.releases.filter((r) => r.status === 'live').map((r) => r.version)).toEqual(['v3']);
    // No container of the aborted canary keeps running.
    const images = appContainers(sandboxPart('docker').host, site.app).map((id) =>
      docker('inspect', '--format', '{{.Config.Image}}', id),
    );
    expect(images).not.toContain('runbook-test-app:flaky');
  }, 240_000);

  it("the env file's secret is in no output of any step, nor in the journal", () => {
    const secret = site.compose?.secret ?? '';
    expect(secret).not.toBe('');
    const all = outputs.join('\n');
    // The runner's own masking command is the one place it may appear (the runner consumes that line).
    expect(all).toContain(`::add-mask::${secret}`);
    expect(all.replaceAll(`::add-mask::${secret}`, '')).not.toContain(secret);
    expect(readFileSync(`${site.stateDir}/sandbox/journal.json`, 'utf8')).not.toContain(secret);
  });
});
