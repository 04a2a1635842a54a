/**
 * Canary through a team-style nginx of its own (helpers/progressive-site.ts), judged on each version's real traffic
 * read from its access log, under ~100 req/s: a canary that passes every step and is promoted (0 failed); one whose
 * version answers ~5 % errors, aborted at its first gate with the live release taking all traffic back; one with too
 * little traffic, inconclusive and never promoted; one paused until promoted, then promoted by a second run, with the
 * header route reaching it meanwhile; sticky assignment holding across a weight change; and an upstream whose
 * weighted form nginx -t rejects, nothing changed.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import { runCli } from './helpers/cli.js';
import { startLoad } from './helpers/load.js';
import { freePortRange } from './helpers/ports.js';
import { type ProgressiveSite, progressiveSite, ROUTE_HEADER } from './helpers/progressive-site.js';
import { startPrometheus } from './helpers/prometheus.js';
import { sandboxPart } from './helpers/sandbox.js';
import { dockerAt } from './helpers/sandbox-docker.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `canary:` lines for the site (its access log and route), with these steps and gates. */
const canaryYaml =
  (steps: string, gates = '{ error-rate: 0.01, max-increase: 0.01, min-samples: 20 }', extra = '') =>
  (p: { accessLog: string; routeFile: string }) =>
    `  canary:
    steps: ${steps}
    gates: ${gates}
    access-log: ${p.accessLog}
    route: { header: ${ROUTE_HEADER}, file: ${p.routeFile} }
${extra}`;

async function versionFor(url: string, headers: Record<string, string>): Promise<string> {
  const res = await fetch(url, { headers: { ...headers, connection: 'close' } });
  return (await res.text()).trim();
}

describe('canary judged on real traffic, under load', () => {
  let site: ProgressiveSite;
  beforeAll(async () => {
    site = await progressiveSite('canary', {
      strategy: 'canary',
      strategyYaml: canaryYaml('[{ weight: 20, pause: 4s }, { weight: 50, pause: 4s }, { weight: 100, pause: 2s }]'),
    });
  }, 60_000);
  afterAll(async () => {
    await site?.close();
  }, 60_000);

  const underLoad = async (step: () => Promise<void>) => {
    const load = startLoad(`${site.url}/version`, { workers: 4, ratePerSecond: 100, maxSeconds: 150 });
    await sleep(800);
    await step();
    await sleep(800);
    return load.stop();
  };
  const deploy = (version: string, config = site.config) =>
    runStep('deploy', { inputs: { ...site.inputs, config, version }, timeoutMs: 120_000 });

  it('passes every step and is promoted: 0 failed, each step judged on both versions', async () => {
    expect(
      (await runStep('deploy', { inputs: { ...site.inputs, config: site.variant('', 'rolling'), version: 'v1' } }))
        .code,
    ).toBe(0);
    let stdout = '';
    let summary = '';
    const load = await underLoad(async () => {
      const r = await deploy('v2');
      stdout = r.stdout;
      summary = r.summary;
      expect(r.code, r.stdout).toBe(0);
    });
    // The job summary leads with the verdict, then a row per step and the Mermaid charts.
    expect(summary).toMatch(/^<h2>✅ Deploy: deployed — v2 → sandbox<\/h2>/);
    expect(summary).toMatch(/<h3>Release<\/h3>\n<p>\S+: v2 is live\. Release <code>/);
    expect(summary).toContain('<h3>Canary steps</h3>');
    expect(summary).toContain('xychart-beta');
    expect(summary.match(/<tr><td>[123]<\/td><td>(20|50|100)%<\/td>/g)).toHaveLength(3);
    expect(load.failed, load.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(load.bodies.v1).toBeGreaterThan(0);
    expect(load.bodies.v2).toBeGreaterThan(0);
    expect(stdout).toMatch(/nginx shop_api → .*weight=/);
    const v2 = site.journal().releases.at(-1);
    expect(v2?.status).toBe('live');
    expect(v2?.canary?.state).toBe('promoted');
    expect(v2?.canary?.steps.map((s) => `${s.weight}:${s.verdict}`)).toEqual(['20:pass', '50:pass', '100:pass']);
    const first = v2?.canary?.steps[0];
    expect(first?.canary?.requests).toBeGreaterThanOrEqual(20);
    expect(first?.stable?.requests).toBeGreaterThan(first?.canary?.requests ?? 0);
    expect(readFileSync(site.upstreamFile, 'utf8')).not.toMatch(/weight=|hash /);
    expect(await site.served()).toBe('v2');
  }, 180_000);

  it("pre-deploy-check reads the access log: the canary format passes; a log in nginx's own format fails, saying what to add", async () => {
    for (let i = 0; i < 3; i++) await fetch(`${site.url}/version`).then((r) => r.text());
    const ok = await runStep('pre-deploy-check', { inputs: site.inputs, timeoutMs: 60_000 });
    expect(ok.stdout).toMatch(
      /PASS +local canary access log +\S+canary\.log: the last \d+ lines are in the runbook_canary format/,
    );
    expect(ok.stdout).toMatch(/PASS +local canary route /);
    // A log in nginx's own combined format (as a team's access.log is): the check fails naming the line and the fix.
    const plain = site.accessLog.replace(/canary\.log$/, 'team-access.log');
    writeFileSync(
      plain,
      '127.0.0.1 - - [01/Dec/2026:01:00:00 +0000] "GET /version HTTP/1.1" 200 3 "-" "curl/7.88.1"\n'.repeat(5),
    );
    const config = site.variant((p) => canaryYaml('[{ weight: 50, pause: 1s }]')({ ...p, accessLog: plain }));
    const bad = await runStep('pre-deploy-check', { inputs: { ...site.inputs, config }, timeoutMs: 60_000 });
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toMatch(
      /FAIL +local canary access log +\d+ of the last \d+ lines of \S+access\.log are not in the runbook_canary format .*add `log_format runbook_canary/,
    );
  }, 120_000);

  it('a version answering ~5 % errors is aborted at its first gate: the live release takes all traffic back', async () => {
    const before = readFileSync(site.upstreamFile, 'utf8');
    const config = site.variant(
      canaryYaml('[{ weight: 50, pause: 20s }, { weight: 100, pause: 2s }]', '{ error-rate: 0.01, min-samples: 60 }'),
    );
    let stdout = '';
    const load = await underLoad(async () => {
      const r = await deploy('flaky', config);
      stdout = r.stdout;
      expect(r.code).not.toBe(0);
    });
    expect(stdout).toMatch(
      /step 1 \(50%\): fail — canary error rate [\d.]+% \(\d+ of \d+ requests failed\) > error-rate 1%/,
    );
    expect(stdout).toMatch(/::error::canary flaky aborted: step 1 at 50%25 was fail/);
    expect(readFileSync(site.upstreamFile, 'utf8')).toBe(before);
    // After the abort every request is the live release's.
    const after = await Promise.all(Array.from({ length: 20 }, () => site.served()));
    expect(new Set(after)).toEqual(new Set(['v2']));
    // The errors seen were the canary's own answers (HTTP 500 from flaky), never a switch.
    expect(load.failures.every((f) => f.startsWith('500'))).toBe(true);
    const j = site.journal();
    const flaky = j.releases.at(-1);
    expect(flaky?.status).toBe('failed');
    expect(flaky?.canary?.state).toBe('aborted');
    expect(flaky?.canary?.steps[0]?.verdict).toBe('fail');
    expect(j.releases.filter((r) => r.status === 'live').map((r) => r.version)).toEqual(['v2']);
  }, 180_000);

  it('too little traffic: inconclusive, never promoted', async () => {
    const before = readFileSync(site.upstreamFile, 'utf8');
    const config = site.variant(
      canaryYaml('[{ weight: 10, pause: 3s }, { weight: 100, pause: 1s }]', '{ error-rate: 0.01, min-samples: 50 }'),
    );
    const r = await deploy('v3', config);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/step 1 \(10%\): inconclusive — canary: \d+ of 50 samples/);
    expect(readFileSync(site.upstreamFile, 'utf8')).toBe(before);
    expect(
      site
        .journal()
        .releases.at(-1)
        ?.canary?.steps.map((s) => s.verdict),
    ).toEqual(['inconclusive']);
    expect(await site.served()).toBe('v2');
  }, 120_000);

  it('paused until promoted: the run ends at 30 %, the header route reaches it, a second run promotes it', async () => {
    const config = site.variant(canaryYaml('[{ weight: 30, pause: until-promoted }, { weight: 100, pause: 2s }]'));
    const load = await underLoad(async () => {
      const r = await deploy('v3', config);
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).toMatch(/canary v3 holds 30% until promoted/);
      expect(site.journal().releases.at(-1)?.status).toBe('canary');
      // A tester's request with the header always reaches the canary.
      const routed = await Promise.all(
        Array.from({ length: 10 }, () => versionFor(`${site.url}/version`, { [ROUTE_HEADER]: '1' })),
      );
      expect(new Set(routed)).toEqual(new Set(['v3']));
      // Another deploy is refused while the canary is open.
      const other = await deploy('v1', config);
      expect(other.code).not.toBe(0);
      expect(other.stdout).toMatch(/promote.*or.*abort.*it before another deploy/);
      await sleep(1000);
      const p = await runStep('promote', { inputs: { ...site.inputs, config }, timeoutMs: 60_000 });
      expect(p.code, p.stdout).toBe(0);
    });
    expect(load.failed, load.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(load.bodies.v3).toBeGreaterThan(0);
    const v3 = site.journal().releases.at(-1);
    expect(v3?.version).toBe('v3');
    expect(v3?.status).toBe('live');
    expect(v3?.canary?.steps.map((s) => `${s.weight}:${s.verdict}`)).toEqual(['30:pass', '100:pass']);
    expect(v3?.canary?.steps[0]?.reasons[0]).toMatch(/^promoted by /);
    expect(await site.served()).toBe('v3');
  }, 180_000);

  it('sticky by header: a client on the canary stays there when its weight grows; abort puts everyone back', async () => {
    const config = site.variant(
      canaryYaml(
        '[{ weight: 30, pause: until-promoted }, { weight: 60, pause: until-promoted }, { weight: 100, pause: 1s }]',
        undefined,
        '    sticky: { header: X-User }\n',
      ),
    );
    expect((await deploy('v1', config)).code).toBe(0);
    expect(readFileSync(site.upstreamFile, 'utf8')).toMatch(
      /hash \$http_x_user consistent; # runbook-actions: canary stickiness/,
    );
    const users = Array.from({ length: 120 }, (_, i) => `user-${i}`);
    const at30 = await Promise.all(users.map((u) => versionFor(`${site.url}/version`, { 'X-User': u })));
    // Each user's answer is stable at one weight.
    const again = await Promise.all(users.map((u) => versionFor(`${site.url}/version`, { 'X-User': u })));
    expect(again).toEqual(at30);
    const onCanary = users.filter((_, i) => at30[i] === 'v1');
    expect(onCanary.length).toBeGreaterThan(10);
    expect(onCanary.length).toBeLessThan(80);
    // promote moves to the next until-promoted step: 60 %.
    const p = await runStep('promote', { inputs: { ...site.inputs, config }, timeoutMs: 60_000 });
    expect(p.code, p.stdout).toBe(0);
    expect(site.journal().releases.at(-1)?.canary?.weight).toBe(60);
    const at60 = await Promise.all(users.map((u) => versionFor(`${site.url}/version`, { 'X-User': u })));
    for (const u of onCanary) expect(at60[users.indexOf(u)], u).toBe('v1');
    expect(at60.filter((v) => v === 'v1').length).toBeGreaterThan(onCanary.length);
    // `runbook abort`, as a person at a terminal would run it.
    const a = await runCli(['abort', '--config', config, '--env', 'sandbox', '--input', 'reason=test']);
    expect(a.code, a.out).toBe(0);
    const after = await Promise.all(users.slice(0, 30).map((u) => versionFor(`${site.url}/version`, { 'X-User': u })));
    expect(new Set(after)).toEqual(new Set(['v3']));
    expect(readFileSync(site.upstreamFile, 'utf8')).not.toMatch(/hash |weight=/);
    expect(site.journal().releases.at(-1)?.canary?.state).toBe('aborted');
  }, 180_000);

  it('rollback while a canary is open: the canary is taken out, the live release keeps serving, 0 failed', async () => {
    const config = site.variant(canaryYaml('[{ weight: 40, pause: until-promoted }, { weight: 100, pause: 1s }]'));
    const load = await underLoad(async () => {
      expect((await deploy('v2', config)).code).toBe(0);
      expect(site.journal().releases.at(-1)?.status).toBe('canary');
      const r = await runStep('rollback', {
        inputs: { ...site.inputs, config, reason: 'test', smoke: 'false' },
        timeoutMs: 60_000,
      });
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).toMatch(/aborting canary v2: rollback by /);
    });
    expect(load.failed, load.failures.slice(0, 3).join(' | ')).toBe(0);
    const j = site.journal();
    expect(j.releases.at(-1)?.canary?.state).toBe('aborted');
    // The live release before the canary is still the live one (the rollback did not go back one more).
    expect(j.releases.filter((r) => r.status === 'live').map((r) => r.version)).toEqual(['v3']);
    expect(new Set(await Promise.all(Array.from({ length: 10 }, () => site.served())))).toEqual(new Set(['v3']));
  }, 120_000);

  it('a canary whose run is killed mid-step (SIGKILL): promote refused, the next deploy puts the upstream back first, 0 failed', async () => {
    const before = readFileSync(site.upstreamFile, 'utf8');
    const config = site.variant(canaryYaml('[{ weight: 50, pause: 30s }, { weight: 100, pause: 1s }]'));
    const load = await underLoad(async () => {
      let killed = false;
      const r = await runStep('deploy', {
        inputs: { ...site.inputs, config, version: 'v1' },
        timeoutMs: 60_000,
        onSpawn: (child) => {
          child.stdout?.on('data', (d: Buffer) => {
            if (!killed && /step 1 \(50%\): \d+ s of 30 s/.test(d.toString())) {
              killed = true;
              child.kill('SIGKILL');
            }
          });
        },
      });
      expect(r.signal).toBe('SIGKILL');
      expect(readFileSync(site.upstreamFile, 'utf8')).toMatch(/weight=/);
      // The runner's post step frees the lock main took.
      expect(
        (await runStep('deploy', { inputs: { ...site.inputs, config, version: 'v1' }, state: r.state })).code,
      ).toBe(0);
      const p = await runStep('promote', { inputs: { ...site.inputs, config }, timeoutMs: 60_000 });
      expect(p.code).not.toBe(0);
      expect(p.stdout).toMatch(/left at 50%(25)? by a run that died mid-step, so that step was never judged/);
      const next = await deploy(
        'v3',
        site.variant(canaryYaml('[{ weight: 50, pause: 3s }, { weight: 100, pause: 1s }]')),
      );
      expect(next.code, next.stdout).toBe(0);
      expect(next.stdout).toMatch(/canary \S+ \(v1\) was left at 50%(25)? by a run that died; taking it out first/);
    });
    expect(load.failed, load.failures.slice(0, 3).join(' | ')).toBe(0);
    const j = site.journal();
    expect(j.releases.find((r) => r.version === 'v1' && r.canary)?.canary?.state).toBe('aborted');
    expect(j.releases.at(-1)?.status).toBe('live');
    expect(before).not.toMatch(/weight=/);
    expect(await site.served()).toBe('v3');
  }, 180_000);

  it('SIGTERM during a step with probes running: aborted cleanly (no crash), the upstream as before, the live release serving', async () => {
    const before = readFileSync(site.upstreamFile, 'utf8');
    const config = site.variant(
      canaryYaml(
        '[{ weight: 50, pause: 30s }, { weight: 100, pause: 1s }]',
        undefined,
        '    probes: { path: /health, every: 200ms }\n',
      ),
    );
    let stopped = false;
    const r = await runStep('deploy', {
      inputs: { ...site.inputs, config, version: 'v1' },
      timeoutMs: 60_000,
      onSpawn: (child) => {
        child.stdout?.on('data', (d: Buffer) => {
          if (!stopped && /step 1 \(50%\): \d+ s of 30 s/.test(d.toString())) {
            stopped = true;
            child.kill('SIGTERM');
          }
        });
      },
    });
    expect(stopped).toBe(true);
    expect(r.code).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/^CancelledError|^\s+at /m);
    expect(r.stdout).toMatch(/aborting canary v1: the canary stopped: cancelled by SIGTERM/);
    expect(readFileSync(site.upstreamFile, 'utf8')).toBe(before);
    expect(site.journal().releases.at(-1)?.canary?.state).toBe('aborted');
    expect(await site.served()).toBe('v3');
  }, 120_000);

  it('a paused canary whose containers died meanwhile: promote moves no traffic to them, aborts, 0 failed', async () => {
    const config = site.variant(canaryYaml('[{ weight: 30, pause: until-promoted }, { weight: 100, pause: 2s }]'));
    expect((await deploy('v1', config)).code).toBe(0);
    const canary = site.journal().releases.at(-1);
    const docker = dockerAt(sandboxPart('docker').host);
    const load = await underLoad(async () => {
      // Stopped as an OOM kill would; the weights still send them 30 % (nginx retries those on the stable servers).
      for (const r of canary?.services.api?.replicas ?? []) docker('stop', '-t', '1', r.id);
      const p = await runStep('promote', { inputs: { ...site.inputs, config }, timeoutMs: 60_000 });
      expect(p.code).not.toBe(0);
      expect(p.stdout).toMatch(/aborting canary v1: before step 2 \(100%(25)?\): \S+ canary \S+ is not running/);
    });
    expect(load.failed, load.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(site.journal().releases.at(-1)?.canary?.state).toBe('aborted');
    expect(readFileSync(site.upstreamFile, 'utf8')).not.toMatch(/weight=/);
    expect(await site.served()).toBe('v3');
  }, 120_000);

  it('an abort that cannot put the upstream back fails and keeps the canary open (it still serves); once fixed, abort ends it', async () => {
    const config = site.variant(canaryYaml('[{ weight: 30, pause: until-promoted }, { weight: 100, pause: 1s }]'));
    expect((await deploy('v1', config)).code).toBe(0);
    execFileSync('chattr', ['+i', site.upstreamFile]);
    try {
      const a = await runCli(['abort', '--config', config, '--env', 'sandbox']);
      expect(a.code).toBe(1);
      expect(a.out).toMatch(
        /could not be taken out: local: could not put the upstream back .*the canary keeps serving its share there; fix nginx, then run `runbook abort` again/,
      );
      const open = site.journal().releases.at(-1);
      expect(open?.status).toBe('canary');
      expect(open?.canary?.state).toBe('paused');
      // Its replicas were not stopped: the weights still send them requests.
      const answers = await Promise.all(Array.from({ length: 30 }, () => site.served()));
      expect(answers).toContain('v1');
    } finally {
      execFileSync('chattr', ['-i', site.upstreamFile]);
    }
    const again = await runCli(['abort', '--config', config, '--env', 'sandbox']);
    expect(again.code, again.out).toBe(0);
    expect(site.journal().releases.at(-1)?.canary?.state).toBe('aborted');
    expect(readFileSync(site.upstreamFile, 'utf8')).not.toMatch(/weight=/);
  }, 120_000);

  it('a server on one of our ports where nothing of ours runs is left out of the stable servers, never doubled', async () => {
    const text = readFileSync(site.upstreamFile, 'utf8');
    const port = Number(/host-ports: \d+-(\d+)/.exec(readFileSync(site.config, 'utf8'))?.[1]);
    writeFileSync(
      site.upstreamFile,
      text.replace(/\n}\n$/, `\n    server 127.0.0.1:${port} max_fails=1 fail_timeout=2s;  # left by hand\n}\n`),
    );
    const config = site.variant(canaryYaml('[{ weight: 50, pause: until-promoted }, { weight: 100, pause: 1s }]'));
    const r = await deploy('v1', config);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `the upstream lists 127\\.0\\.0\\.1:${port}, where no replica of ours runs: left out of the stable servers`,
      ),
    );
    const weighted = readFileSync(site.upstreamFile, 'utf8');
    expect(weighted.match(new RegExp(`127\\.0\\.0\\.1:${port}`, 'g')) ?? []).toHaveLength(0);
    expect((await runCli(['abort', '--config', config, '--env', 'sandbox'])).code).toBe(0);
    writeFileSync(site.upstreamFile, text);
  }, 120_000);

  it('a Prometheus gate (a real Prometheus scraping the app metrics): v1 breaches and is aborted, v2 passes', async () => {
    // The metrics an exporter would give: the error ratio per version.
    const metrics = createServer((_, res) => {
      res.end('# TYPE app_error_ratio gauge\napp_error_ratio{version="v1"} 0.5\napp_error_ratio{version="v2"} 0\n');
    });
    const [port] = await freePortRange(1);
    await new Promise<void>((r) => metrics.listen(port, '127.0.0.1', r));
    const prom = await startPrometheus([`127.0.0.1:${port}`], 'app_error_ratio');
    try {
      const config = site.variant(
        canaryYaml(
          '[{ weight: 50, pause: 3s }, { weight: 100, pause: 1s }]',
          '{ error-rate: 0.01, min-samples: 5 }',
          `    prometheus:\n      url: ${prom.url}\n      queries: [{ name: errors, query: 'max(app_error_ratio{version="{{version}}"})', max: 0.1 }]\n`,
        ),
      );
      const load = await underLoad(async () => {
        const bad = await deploy('v1', config);
        expect(bad.code).not.toBe(0);
        expect(bad.stdout).toMatch(/step 1 \(50%\): fail — .*errors/);
        const good = await deploy('v2', config);
        expect(good.code, good.stdout).toBe(0);
      });
      expect(load.failed, load.failures.slice(0, 3).join(' | ')).toBe(0);
      const [v1, v2] = site.journal().releases.slice(-2);
      expect(v1?.canary?.steps[0]?.metrics?.[0]).toMatchObject({ name: 'errors', value: 0.5, ok: false });
      expect(v2?.canary?.steps[0]?.metrics?.[0]).toMatchObject({ name: 'errors', value: 0, ok: true });
      expect(v2?.status).toBe('live');
    } finally {
      await prom.close();
      metrics.close();
    }
  }, 180_000);

  it('an upstream whose weighted form nginx -t rejects (a backup server under hash): nothing changed', async () => {
    // The team's maintenance server, after the others: nginx refuses `backup` once the block balances by hash.
    const text = readFileSync(site.upstreamFile, 'utf8').replace(
      /\n}\n$/,
      '\n    server 127.0.0.1:9 backup;  # maintenance page\n}\n',
    );
    expect(text).toContain('backup;');
    writeFileSync(site.upstreamFile, text);
    const config = site.variant(
      canaryYaml(
        '[{ weight: 30, pause: 2s }, { weight: 100, pause: 1s }]',
        undefined,
        '    sticky: { address: true }\n',
      ),
    );
    const r = await deploy('v1', config);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/nginx rejected the new upstream/);
    expect(readFileSync(site.upstreamFile, 'utf8')).toBe(text);
    expect(await site.served()).toBe('v2');
    expect(site.journal().releases.at(-1)?.canary?.state).toBe('aborted');
  }, 120_000);
});
