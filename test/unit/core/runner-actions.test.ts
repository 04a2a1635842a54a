/** The Actions host speaks the runner's protocol without @actions/core; its records read back as the runner reads them. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { actionsRunner, fileCommandRecord } from '../../../src/core/runner-actions.js';
import { parseFileCommands } from '../../integration/helpers/action-runner.js';

function runnerFiles(): { env: NodeJS.ProcessEnv; read: (f: 'output' | 'state') => string } {
  const dir = mkdtempSync(join(tmpdir(), 'runner-actions-'));
  const env: NodeJS.ProcessEnv = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STATE: join(dir, 'state') };
  writeFileSync(join(dir, 'output'), '');
  writeFileSync(join(dir, 'state'), '');
  return { env, read: (f) => readFileSync(join(dir, f), 'utf8') };
}

describe('actionsRunner', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('one-line values are name=value records; a value with line breaks is a heredoc with a random delimiter', () => {
    expect(fileCommandRecord('release-id', 'r-1')).toBe('release-id=r-1\n');
    expect(fileCommandRecord('empty', '')).toBe('empty=\n');
    const heredoc = fileCommandRecord('report', 'a\nb=c\n::error::x');
    expect(heredoc).toMatch(/^report<<ghadelimiter_[0-9a-f-]{36}\na\nb=c\n::error::x\nghadelimiter_[0-9a-f-]{36}\n$/);
    expect(fileCommandRecord('report', 'a\nb')).not.toBe(fileCommandRecord('report', 'a\nb'));
    // A value cannot smuggle a second record into the file.
    expect(parseFileCommands(fileCommandRecord('x', 'v\ny=injected'))).toEqual({ x: 'v\ny=injected' });
    expect(parseFileCommands(fileCommandRecord('x', 'v\ry=injected'))).toEqual({ x: 'v\ry=injected' });
  });

  it('writes outputs and state to the runner files, reads inputs and state from the variables', () => {
    const { env, read } = runnerFiles();
    const runner = actionsRunner({
      ...env,
      'INPUT_DRY-RUN': '  true \n',
      INPUT_SSH_KNOWN_HOSTS: 'k',
      STATE_a: 'saved',
    });
    expect(runner.getInput('dry-run')).toBe('true');
    expect(runner.getInput('ssh known hosts')).toBe('k');
    expect(runner.getInput('missing')).toBe('');
    expect(runner.getState('a')).toBe('saved');
    expect(runner.isPost()).toBe(false);
    runner.beginMain();
    runner.saveState('multi', 'one\ntwo');
    runner.setOutput('release-id', 'r-1');
    runner.setOutput('plan', 'line 1\nline 2');
    expect(parseFileCommands(read('state'))).toEqual({ 'runbook-is-post': 'true', multi: 'one\ntwo' });
    expect(parseFileCommands(read('output'))).toEqual({ 'release-id': 'r-1', plan: 'line 1\nline 2' });
    expect(actionsRunner({ STATE_runbook_is_post: 'x', 'STATE_runbook-is-post': 'true' }).isPost()).toBe(true);
  });

  it('setFailed and registerSecret are escaped workflow commands; setFailed sets the exit code', () => {
    const out: string[] = [];
    const runner = actionsRunner({}, (text) => out.push(text));
    runner.setFailed('2 problems:\na 100% bad\r\nb');
    runner.registerSecret('s3cr3t\nline');
    runner.setOutput('name', 'a,b:c');
    expect(process.exitCode).toBe(1);
    expect(out).toEqual([
      '::error::2 problems:%0Aa 100%25 bad%0D%0Ab\n',
      '::add-mask::s3cr3t%0Aline\n',
      '::set-output name=name::a,b:c\n',
    ]);
  });

  it('appends to the job summary, each part ending its line; without GITHUB_STEP_SUMMARY it is skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runner-actions-'));
    const file = join(dir, 'summary');
    writeFileSync(file, '');
    const runner = actionsRunner({ GITHUB_STEP_SUMMARY: file });
    await runner.appendSummary('## Plan');
    await runner.appendSummary('| a | b |');
    expect(readFileSync(file, 'utf8')).toBe('## Plan\n| a | b |\n');
    await expect(actionsRunner({}).appendSummary('x')).resolves.toBeUndefined();
  });

  it('step debug from RUNNER_DEBUG=1 or ACTIONS_STEP_DEBUG=true', () => {
    expect(actionsRunner({}).debug).toBe(false);
    expect(actionsRunner({ RUNNER_DEBUG: '1' }).debug).toBe(true);
    expect(actionsRunner({ ACTIONS_STEP_DEBUG: 'true' }).debug).toBe(true);
  });
});
