/**
 * A secret is masked in every sink, in every shape it is printed (RELIABILITY.md promise 17): outputs (the smoke
 * `report` among them), the job summary, the CLI's printed and `--json` outputs, the failure line; remote output
 * flushed in parts more than 150 ms apart; base64 wrapped at 76 columns.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cliRunner } from '../../../src/cli/runner-cli.js';
import { StreamLogger } from '../../../src/core/logger.js';
import { Masker } from '../../../src/core/masker.js';
import { runAction } from '../../../src/core/run-action.js';
import { actionsRunner } from '../../../src/core/runner-actions.js';
import { smokeInputs } from '../../../src/inputs/smoke.js';
import { smokeSummary } from '../../../src/smoke/suite.js';

const SECRET = 'hunter2-very-secret-Token-42';
const B64 = Buffer.from(SECRET).toString('base64');

afterEach(() => {
  vi.useRealTimers();
  process.exitCode = undefined;
});

describe('outputs, summary, report, failure line', () => {
  it('actions runner: GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and the failure line never carry the secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sinks-'));
    const files = {
      GITHUB_OUTPUT: join(dir, 'out'),
      GITHUB_STEP_SUMMARY: join(dir, 'sum'),
      GITHUB_STATE: join(dir, 'st'),
    };
    for (const f of Object.values(files)) writeFileSync(f, '');
    let stdout = '';
    const runner = actionsRunner(files, (t) => {
      stdout += t;
    });
    const echoed = `{"token":"${SECRET}","b64":"${B64}"}`;
    await runAction(
      async (ctx) => {
        ctx.log.addSecret(SECRET);
        const check = { name: 'api', passed: false, status: 500, latencyMs: 3, problems: [`body ${echoed}`] };
        ctx.runner.setOutput('report', JSON.stringify({ environment: 'prod', passed: false, checks: [check] }));
        ctx.runner.setOutput('multi', `line\n${SECRET}`);
        await ctx.runner.appendSummary(smokeSummary({ passed: false, checks: [check] as never, problems: [] }));
        throw new Error(`server said ${echoed}`);
      },
      undefined,
      { runner, signals: new EventEmitter() },
    );
    // The runner is told the secret's forms by add-mask (it masks them itself); every other line is checked.
    const logged = stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'));
    const all = [readFileSync(files.GITHUB_OUTPUT, 'utf8'), readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'), ...logged];
    expect(logged.join('\n')).toContain('::error::internal error: server said');
    for (const text of all) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(B64);
    }
  });

  it('the job summary escapes text before the runner masks it: a secret with & < > " \' is masked as escaped', () => {
    const m = new Masker();
    const secret = `pa"ss&w<rd>'42`;
    m.add(secret);
    const check = { name: 'api', url: '/', passed: false, status: 500, latencyMs: 1, problems: [`body ${secret}`] };
    const md = m.mask(smokeSummary({ passed: false, checks: [check], problems: [] }));
    expect(md).toContain('<td>❌ body ***</td>');
    expect(md).not.toContain('w&lt;rd&gt;');
  });

  it('CLI runner: printed outputs, --json and the failure line never carry the secret', async () => {
    const lines: string[] = [];
    const runner = cliRunner({ inputs: new Map(), debug: false, write: (l) => lines.push(l) });
    await runAction(
      async (ctx) => {
        ctx.log.addSecret(SECRET);
        ctx.runner.setOutput('report', JSON.stringify({ body: `x${SECRET}y` }));
        throw new Error(`echo: ${SECRET}\r::error::x`);
      },
      undefined,
      { runner, signals: new EventEmitter() },
    );
    const json = JSON.stringify(Object.fromEntries(runner.outputs));
    expect(JSON.parse(json).report).toBe('{"body":"x***y"}');
    expect(lines.join('\n')).not.toContain(SECRET);
    expect(lines.join('\n')).not.toMatch(/\r/);
  });
});

function logger() {
  const lines: string[] = [];
  const masker = new Masker();
  const log = new StreamLogger({ sink: (l) => lines.push(l), masker, mode: 'cli', debug: false });
  log.addSecret(SECRET);
  return { log, lines };
}

describe('partial lines flushed after 150 ms', () => {
  it.each([1, 4, 10, SECRET.length - 1])('a secret split after %i characters is still masked', (at) => {
    vi.useFakeTimers();
    const { log, lines } = logger();
    log.remote('db', 'stdout', `token: ${SECRET.slice(0, at)}`);
    vi.advanceTimersByTime(200);
    log.remote('db', 'stdout', `${SECRET.slice(at)} done\n`);
    vi.advanceTimersByTime(200);
    log.flushRemote();
    const out = lines.join('\n');
    expect(out).toContain('token: ');
    expect(out).not.toContain(SECRET.slice(0, Math.max(at, 4)));
    expect(out).not.toContain(SECRET.slice(at));
    expect(out).toContain('***');
  });

  it('text that cannot start a secret is still printed after 150 ms', () => {
    vi.useFakeTimers();
    const { log, lines } = logger();
    log.remote('db', 'stdout', 'progress 45%');
    vi.advanceTimersByTime(200);
    expect(lines).toEqual(['[db]  progress 45%']);
  });

  it('the end of the output prints what was held back', () => {
    vi.useFakeTimers();
    const { log, lines } = logger();
    log.remote('db', 'stdout', 'ends with hun');
    vi.advanceTimersByTime(200);
    expect(lines).toEqual(['[db]  ends with ']);
    log.flushRemote();
    expect(lines).toEqual(['[db]  ends with ', '[db]  hun']);
  });
});

describe('base64 wrapped at 76 columns (the base64 CLI)', () => {
  it.each([0, 1, 2, 5, 30, 47, 50, 53, 56, 57, 60])(
    'is masked line by line with %i bytes before the secret',
    (before) => {
      const { log, lines } = logger();
      const blob = Buffer.concat([Buffer.alloc(before, 'A'), Buffer.from(SECRET), Buffer.from('-trailing-bytes')]);
      const wrapped = (blob.toString('base64').match(/.{1,76}/g) ?? []).join('\n');
      log.remote('host', 'stdout', `${wrapped}\n`);
      const shown = lines.map((l) => l.replace(/^\[host\] {2}/, '').replaceAll('***', '\u0000')).join('');
      // No run of 4 characters of the secret's encoding (at this alignment) survives, in a line or across two.
      const stable = Buffer.concat([Buffer.alloc(before % 3), Buffer.from(SECRET)]).toString('base64');
      const secretChars = stable.slice([0, 2, 3][before % 3], Math.floor((((before % 3) + SECRET.length) * 8) / 6));
      for (let i = 0; i + 4 <= secretChars.length; i++) expect(shown).not.toContain(secretChars.slice(i, i + 4));
    },
  );

  it('leaves unrelated base64 alone', () => {
    const m = new Masker();
    m.add(SECRET);
    const other = Buffer.from('an unrelated payload that is long enough to wrap, twice over '.repeat(3)).toString(
      'base64',
    );
    const wrapped = (other.match(/.{1,76}/g) ?? []).join('\n');
    expect(m.mask(wrapped)).toBe(wrapped);
  });
});

describe('the smoke url input', () => {
  it.each([['https://user:pw@shop.example.com'], ['https://user@shop.example.com/x']])('refuses %s', (url) => {
    const r = smokeInputs.url.schema.safeParse(url);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message).join()).toMatch(/must not contain credentials/);
  });

  it.each([['https://shop.example.com/a@b'], ['http://127.0.0.1:8080/?q=a@b']])('accepts %s', (url) => {
    expect(smokeInputs.url.schema.safeParse(url).success).toBe(true);
  });
});
