/** The Actions host speaks the runner's protocol without @actions/core; its records read back as the runner reads them. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { actionsHost, fileCommandRecord } from '../../../src/core/host-actions.js';
import { parseFileCommands } from '../../integration/helpers/action-runner.js';

function runnerFiles(): { env: NodeJS.ProcessEnv; read: (f: 'output' | 'state') => string } {
  const dir = mkdtempSync(join(tmpdir(), 'host-actions-'));
  const env: NodeJS.ProcessEnv = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STATE: join(dir, 'state') };
  writeFileSync(join(dir, 'output'), '');
  writeFileSync(join(dir, 'state'), '');
  return { env, read: (f) => readFileSync(join(dir, f), 'utf8') };
}

describe('actionsHost', () => {
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
    const host = actionsHost({ ...env, 'INPUT_DRY-RUN': '  true \n', INPUT_SSH_KNOWN_HOSTS: 'k', STATE_a: 'saved' });
    expect(host.getInput('dry-run')).toBe('true');
    expect(host.getInput('ssh known hosts')).toBe('k');
    expect(host.getInput('missing')).toBe('');
    expect(host.getState('a')).toBe('saved');
    expect(host.isPost()).toBe(false);
    host.beginMain();
    host.saveState('multi', 'one\ntwo');
    host.setOutput('release-id', 'r-1');
    host.setOutput('plan', 'line 1\nline 2');
    expect(parseFileCommands(read('state'))).toEqual({ 'runbook-is-post': 'true', multi: 'one\ntwo' });
    expect(parseFileCommands(read('output'))).toEqual({ 'release-id': 'r-1', plan: 'line 1\nline 2' });
    expect(actionsHost({ STATE_runbook_is_post: 'x', 'STATE_runbook-is-post': 'true' }).isPost()).toBe(true);
  });

  it('setFailed and registerSecret are escaped workflow commands; setFailed sets the exit code', () => {
    const out: string[] = [];
    const host = actionsHost({}, (text) => out.push(text));
    host.setFailed('2 problems:\na 100% bad\r\nb');
    host.registerSecret('s3cr3t\nline');
    host.setOutput('name', 'a,b:c');
    expect(process.exitCode).toBe(1);
    expect(out).toEqual([
      '::error::2 problems:%0Aa 100%25 bad%0D%0Ab\n',
      '::add-mask::s3cr3t%0Aline\n',
      '::set-output name=name::a,b:c\n',
    ]);
  });

  it('appends to the job summary, each part ending its line; without GITHUB_STEP_SUMMARY it is skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-actions-'));
    const file = join(dir, 'summary');
    writeFileSync(file, '');
    const host = actionsHost({ GITHUB_STEP_SUMMARY: file });
    await host.appendSummary('## Plan');
    await host.appendSummary('| a | b |');
    expect(readFileSync(file, 'utf8')).toBe('## Plan\n| a | b |\n');
    await expect(actionsHost({}).appendSummary('x')).resolves.toBeUndefined();
  });

  it('step debug from RUNNER_DEBUG=1 or ACTIONS_STEP_DEBUG=true', () => {
    expect(actionsHost({}).debug).toBe(false);
    expect(actionsHost({ RUNNER_DEBUG: '1' }).debug).toBe(true);
    expect(actionsHost({ ACTIONS_STEP_DEBUG: 'true' }).debug).toBe(true);
  });
});
