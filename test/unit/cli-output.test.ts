/** Where the CLI's lines go (results stdout, logs stderr), the --json document, and a reader that leaves early. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  type CliStreams,
  jsonResult,
  outputLines,
  outputValue,
  processStreams,
  reportSink,
  resultKind,
} from '../../src/cli/output.js';
import { StreamLogger } from '../../src/core/logger.js';
import { Masker } from '../../src/core/masker.js';

function capture(): CliStreams & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

describe('reportSink', () => {
  it('top-level lines are the report; groups, what they hold, warnings, errors, debug, remote output are log', async () => {
    const s = capture();
    const log = new StreamLogger({ sink: reportSink(s), masker: new Masker(), mode: 'cli', debug: true });
    await log.group('Checking 1 targets', async () => {
      log.info('connecting to web1');
      await log.group('nested', async () => log.info('deep'));
      log.info('still inside');
    });
    log.warn('disk is low');
    log.error('bad');
    log.debug('detail');
    log.remote('web1', 'stdout', 'hello\n');
    log.remote('web1', 'stderr', 'oops\n');
    log.info('PASS  web1 reachable');
    log.info('pre-deploy check passed: 1 passed, 0 warnings');
    expect(s.stdout).toEqual(['PASS  web1 reachable', 'pre-deploy check passed: 1 passed, 0 warnings']);
    expect(s.stderr).toEqual([
      '▶ Checking 1 targets',
      'connecting to web1',
      '  ▶ nested',
      'deep',
      expect.stringMatching(/^ {2}◀ nested \(\d+\.\ds\)$/),
      'still inside',
      expect.stringMatching(/^◀ Checking 1 targets \(\d+\.\ds\)$/),
      'warning: disk is low',
      'error: bad',
      'debug: detail',
      '[web1]  hello',
      '[web1]! oops',
    ]);
  });

  it('a report line that merely contains a group arrow stays a report line; stack frames are log', () => {
    const s = capture();
    const sink = reportSink(s);
    sink('migration m1  custom 0001 → 0003  applied');
    sink('a ◀ b (1.0s)');
    sink('    at run (file:///x/dist/cli.js:1:2)');
    expect(s.stdout).toHaveLength(2);
    expect(s.stderr).toEqual(['    at run (file:///x/dist/cli.js:1:2)']);
  });
});

describe('results', () => {
  it('status, backup list and pre-deploy-check print their report; the others their outputs', () => {
    expect(['status', 'backup-list', 'pre-deploy-check'].map(resultKind)).toEqual(['report', 'report', 'report']);
    expect(['deploy', 'backup', 'rollback', 'init', 'unlock'].map(resultKind)).toEqual(Array(5).fill('outputs'));
  });

  it('--json embeds outputs that are JSON documents as JSON, once; other values stay strings', () => {
    const outputs = new Map([
      ['report', JSON.stringify({ environment: 'prod', checks: [{ name: 'a"b' }] })],
      ['passed', 'true'],
      ['previous-version', '1.10'],
      ['release-id', 'r-20261123-v2'],
      ['broken', '{not json'],
      ['journal', '[]'],
    ]);
    const doc = JSON.parse(jsonResult('pre-deploy-check', true, outputs));
    expect(doc).toEqual({
      command: 'pre-deploy-check',
      ok: true,
      outputs: {
        report: { environment: 'prod', checks: [{ name: 'a"b' }] },
        passed: true,
        'previous-version': '1.10',
        'release-id': 'r-20261123-v2',
        broken: '{not json',
        journal: [],
      },
    });
  });

  it('--json on failure says so, with the failure line', () => {
    const doc = JSON.parse(jsonResult('deploy', false, new Map(), 'health check failed'));
    expect(doc).toEqual({ command: 'deploy', ok: false, error: 'health check failed', outputs: {} });
  });

  it('text mode prints scalar outputs one a line and leaves JSON documents to --json', () => {
    const outputs = new Map([
      ['release-id', 'r1'],
      ['report', '{"a":1}'],
      ['note', 'two\nlines'],
    ]);
    expect(outputLines(outputs)).toEqual(['output release-id=r1', 'output note="two\\nlines"']);
    expect(outputValue(' {"a":1} ')).toEqual({ a: 1 });
  });
});

/** A fake process: stdout/stderr that record writes and emit errors on demand. */
function fakeProcess() {
  const stream = () =>
    Object.assign(new EventEmitter(), {
      written: [] as string[],
      write(this: { written: string[] }, s: string) {
        this.written.push(s);
        return true;
      },
    });
  const proc = {
    stdout: stream(),
    stderr: stream(),
    exitCode: undefined as number | undefined,
    exited: undefined as number | undefined,
    exit(code?: number) {
      proc.exited = code;
    },
  };
  return proc;
}

const epipe = () => Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });

describe('processStreams', () => {
  it('results to stdout, logs to stderr', () => {
    const proc = fakeProcess();
    const s = processStreams(proc as unknown as NodeJS.Process);
    s.out('result');
    s.err('log');
    expect(proc.stdout.written).toEqual(['result\n']);
    expect(proc.stderr.written).toEqual(['log\n']);
  });

  it('EPIPE on stdout (the reader left) ends the process quietly with the code so far', () => {
    const proc = fakeProcess();
    processStreams(proc as unknown as NodeJS.Process);
    proc.stdout.emit('error', epipe());
    expect(proc.exited).toBe(0);
    const failed = fakeProcess();
    failed.exitCode = 1;
    processStreams(failed as unknown as NodeJS.Process);
    failed.stdout.emit('error', epipe());
    expect(failed.exited).toBe(1);
  });

  it('EPIPE on stderr drops the rest of the log and the run goes on', () => {
    const proc = fakeProcess();
    const s = processStreams(proc as unknown as NodeJS.Process);
    proc.stderr.emit('error', epipe());
    s.err('dropped');
    s.out('still here');
    expect(proc.exited).toBeUndefined();
    expect(proc.stderr.written).toEqual([]);
    expect(proc.stdout.written).toEqual(['still here\n']);
  });

  it('another write error is not swallowed', () => {
    const proc = fakeProcess();
    processStreams(proc as unknown as NodeJS.Process);
    expect(() => proc.stdout.emit('error', Object.assign(new Error('EIO'), { code: 'EIO' }))).toThrow('EIO');
  });
});
