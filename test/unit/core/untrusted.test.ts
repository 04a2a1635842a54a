/**
 * Server text never reaches the runner's command parser (RELIABILITY.md promise 16), judged by a model of the
 * actions/runner rules (src/core/untrusted.ts): the whole stdout of a step is split as StreamReader.ReadLine splits it,
 * each line parsed as TryParseV2 then TryParse would, stop-commands honoured. Every hostile command below carries data
 * starting with PWNED: no obeyed command may.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { SmokeCheck } from '../../../src/config/schema.js';
import { UserError } from '../../../src/core/errors.js';
import { StreamLogger } from '../../../src/core/logger.js';
import { Masker } from '../../../src/core/masker.js';
import { runAction } from '../../../src/core/run-action.js';
import { actionsRunner } from '../../../src/core/runner-actions.js';
import { errorLine } from '../../../src/core/stderr.js';
import { obeyedCommands, parseCommand, runnerLines, untrusted } from '../../../src/core/untrusted.js';
import { unmet } from '../../../src/http/expect.js';
import { describeFailure } from '../../../src/http/failure.js';
import { problemsOf } from '../../../src/smoke/evaluate.js';

const HOSTILE = [
  '::error::PWNED',
  '  ::add-mask::PWNED',
  '\u0085\u00a0::set-output name=x::PWNED',
  'ok ##[error]PWNED',
  'ok ##[set-output name=x;]PWNED',
  'fine\r::error::PWNED',
  'fine\r##[warning]PWNED',
  'a\r\n::stop-commands::PWNED',
  '\u2028::error::PWNED',
  '::group::PWNED',
  '\u001b[31m::error::PWNED',
];
const HOSTILE_TEXT = HOSTILE.join('\n');

const pwned = (stdout: string) => obeyedCommands(stdout).filter((c) => c.data.startsWith('PWNED'));

describe('the runner model (actions/runner ActionCommand.TryParseV2 / TryParse, StreamReader.ReadLine)', () => {
  it.each([
    ['::error::x', 'error'],
    ['   ::warning file=a::x', 'warning'],
    ['\u0085::debug::x', 'debug'],
    ['text before ##[error]x', 'error'],
    ['##[group]x', 'group'],
  ])('parses %j as %s', (line, name) => {
    expect(parseCommand(line)?.name).toBe(name);
  });

  it.each([['text ::error::x'], ['::error x'], ['##[error x'], ['# #[error]x'], ['##\\[error]x'], [':\\:error::x']])(
    'does not parse %j',
    (line) => {
      expect(parseCommand(line)).toBeUndefined();
    },
  );

  it('splits lines at \\n, \\r\\n and a lone \\r; stop-commands hold until the token', () => {
    expect(runnerLines('a\rb\r\nc\nd')).toEqual(['a', 'b', 'c', 'd']);
    expect(obeyedCommands('::stop-commands::T\n::error::hidden\n::T::\n::error::shown').map((c) => c.data)).toEqual([
      'T',
      'shown',
    ]);
  });

  it('each hostile line is obeyed when printed raw (the model sees what the runner sees)', () => {
    // ESC is not .NET whitespace: after it `::` does not start the line (the case is there for terminals).
    for (const h of HOSTILE.filter((x) => !x.startsWith('\u001b')))
      expect(pwned(`${h}\n`).length, h).toBeGreaterThan(0);
  });
});

describe('untrusted()', () => {
  it.each(HOSTILE)('makes %j inert yet readable', (h) => {
    const out = untrusted(h);
    expect(pwned(out)).toEqual([]);
    expect(out).toContain('PWNED');
    expect(untrusted(`prefix ${h}`)).toContain('PWNED');
    expect(pwned(`prefix ${untrusted(h)}`)).toEqual([]);
  });

  it('keeps ordinary text as it is', () => {
    expect(untrusted('HTTP 200 {"status":"ok"}\tdone')).toBe('HTTP 200 {"status":"ok"}\tdone');
  });
});

/** A step run by the real runAction and actionsRunner; its whole stdout. */
async function stdoutOf(step: (log: import('../../../src/core/log-types.js').Logger) => Promise<void>) {
  let out = '';
  const runner = actionsRunner({}, (t) => {
    out += t;
  });
  await runAction(async (ctx) => step(ctx.log), undefined, { runner, signals: new EventEmitter() });
  process.exitCode = undefined;
  return out;
}

const check = (expect: SmokeCheck['expect']): SmokeCheck =>
  ({ name: 'api', url: '/', method: 'GET', via: 'runner', expect }) as unknown as SmokeCheck;

describe('every place server text reaches our log lines', () => {
  const healthBody = HOSTILE_TEXT.replace(/\n/g, ' ');
  const cases: Array<[string, (log: import('../../../src/core/log-types.js').Logger) => void]> = [
    // deploy/health.ts look(): `${problems} (${status} ${body})`, body with whitespace collapsed, in info lines
    ['health body (progress line)', (log) => log.info(`web: waiting — 1.0s, attempt 1: 503 ${healthBody}`)],
    ['health body (error)', (log) => log.error(`web not healthy within 60s; last answer: ${healthBody}`)],
    // smoke/evaluate.ts problemsOf: Location, JSON values, body; smoke/suite.ts prints them in PASS/FAIL lines
    [
      'smoke Location',
      (log) =>
        log.info(
          `FAIL api 302 ${problemsOf(check(undefined), { status: 302, body: '', latencyMs: 1, location: HOSTILE_TEXT, truncated: false }).join('; ')}`,
        ),
    ],
    [
      'smoke JSON value',
      (log) =>
        log.info(
          unmet({ status: 200, json: { status: 'ok' } }, 200, JSON.stringify({ status: HOSTILE_TEXT })).join('; '),
        ),
    ],
    ['smoke body and header', (log) => log.info(`body: ${HOSTILE_TEXT}\nheader x-app: ${HOSTILE[5]}`)],
    ['migration tool output (streamed)', (log) => log.remote('migrate', 'stdout', `${HOSTILE_TEXT}\n`)],
    [
      'migration tool stderr (partial chunks)',
      (log) => {
        for (const c of HOSTILE_TEXT) log.remote('m', 'stderr', c);
      },
    ],
    ['container log tail', (log) => log.remote('web-1', 'stdout', `${HOSTILE_TEXT}\n`)],
    ['remote stderr quoted in a warning', (log) => log.warn(`nginx -t: ${errorLine(`ok\n${HOSTILE[5]} error`)}`)],
    ['a server quoted in a connection error', (log) => log.warn(describeFailure(new Error(HOSTILE_TEXT), 'h:80'))],
    ['a group title', (log) => void log.group(`check ${HOSTILE[0]}`, async () => log.info(HOSTILE[3] ?? ''))],
    ['debug lines', (log) => log.debug(HOSTILE_TEXT)],
  ];

  it.each(cases)('%s: printed, never obeyed', async (_name, say) => {
    const out = await stdoutOf(async (log) => say(log));
    expect(out).toContain('PWNED');
    expect(pwned(out)).toEqual([]);
  });

  it('the failure line (setFailed) quoting server text', async () => {
    const out = await stdoutOf(async () => {
      throw new UserError(`migrate failed (exit 1): ${errorLine(HOSTILE_TEXT)} | ${HOSTILE_TEXT}`);
    });
    expect(out).toMatch(/^::error::migrate failed/m);
    expect(pwned(out)).toEqual([]);
  });

  it('CLI mode (a terminal, or the CLI in a run: step) prints every such line inert', async () => {
    const lines: string[] = [];
    const log = new StreamLogger({ sink: (l) => lines.push(l), masker: new Masker(), mode: 'cli', debug: true });
    log.info(`answer: ${HOSTILE_TEXT}`);
    log.remote('web', 'stdout', `${HOSTILE_TEXT}\n`);
    log.warn(HOSTILE_TEXT);
    await log.group(HOSTILE[0] ?? '', async () => {});
    const out = lines.join('\n');
    expect(out).toContain('PWNED');
    for (const ch of ['\r', '\u001b', '\u0085', '\u2028']) expect(out).not.toContain(ch);
    expect(pwned(out)).toEqual([]);
  });
});
