/** `runbook …` end to end without a process: help, version, usage errors (exit 2), results and logs apart, --json. */
import { describe, expect, it } from 'vitest';
import { defineAction } from '../../src/actions/module.js';
import { commands } from '../../src/cli/commands.js';
import { VERSION } from '../../src/cli/help.js';
import { type CliIo, main } from '../../src/cli/main.js';
import type { CliRunner } from '../../src/cli/runner-cli.js';
import { commonInputs } from '../../src/inputs/common.js';
import { zText } from '../../src/inputs/spec.js';

/** Runs `argv`; the step (when it runs) is `step`, given the CLI's runner. */
async function cli(argv: string[], step?: (r: CliRunner) => boolean, extra: Partial<CliIo> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let ran = false;
  const code = await main(argv, {
    streams: { out: (l) => stdout.push(l), err: (l) => stderr.push(l) },
    run: async (_c, runner) => {
      ran = true;
      return step ? step(runner) : true;
    },
    ...extra,
  });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n'), ran };
}

const env = ['--config', 'r.yml', '--env', 'prod'];

describe('help and version: stdout, exit 0, nothing runs', () => {
  it.each([[['--help']], [['-h']], [['help']]])('%j lists the commands', async (argv) => {
    const r = await cli(argv);
    expect(r).toMatchObject({ code: 0, stderr: '', ran: false });
    expect(r.stdout).toMatch(/^usage: runbook <command>/);
    expect(r.stdout).toMatch(/^ {2}pre-deploy-check /m);
  });

  it.each(Object.keys(commands))('%s --help prints its usage', async (name) => {
    const typed = name.replace(/^backup-/, 'backup ').split(' ');
    for (const argv of [
      [...typed, '--help'],
      [...typed, '-h', ...env],
      ['help', ...typed],
    ]) {
      const r = await cli(argv);
      expect(r, argv.join(' ')).toMatchObject({ code: 0, stderr: '', ran: false });
      expect(r.stdout).toMatch(new RegExp(`^usage: runbook ${typed.join(' ')}`));
    }
  });

  it('--version prints the package version', async () => {
    expect(await cli(['--version'])).toMatchObject({ code: 0, stdout: VERSION, stderr: '' });
  });
});

describe('usage errors: stderr, exit 2, nothing runs', () => {
  it.each([
    [[], /^usage: runbook <command>/],
    [['deploy-everything'], /^runbook: unknown command "deploy-everything" \(runbook --help lists the commands\)$/],
    [['help', 'nope'], /unknown command "nope"/],
    [['--bogus'], /unknown option "--bogus"/],
    [['deploy', ...env, '--bogus'], /^runbook deploy: Unknown option '--bogus'\n\(runbook deploy --help shows/],
    [['status', ...env, 'extra'], /^runbook status: Unexpected argument 'extra'/],
    [['status', ...env, '--input', 'nope=1'], /unknown input "nope"; this command accepts: config, environment/],
    [['deploy', ...env], /^runbook deploy: input "version" is required: The image tag to deploy/],
    [
      ['unlock', '--config', 'r.yml'],
      /2 input problems:\ninput "environment" is required[\s\S]*input "reason" is required/,
    ],
    [['status', '--config', 'r.yml', '--env', 'prod;id'], /input "environment": "prod;id" is not valid/],
    [['deploy', ...env, '--version', 'v 1'], /input "version": "v 1" is not valid/],
    [['backup', 'restore', '../etc', ...env, '--confirm', 'shop'], /input "id": "..\/etc" is not valid/],
    [['backup', 'restore', ...env], /input "id" is required[\s\S]*input "confirm" is required/],
  ])('%j', async (argv, message) => {
    const r = await cli(argv);
    expect(r).toMatchObject({ code: 2, stdout: '', ran: false });
    expect(r.stderr).toMatch(message);
  });

  it('a secret input that does not parse is named, never shown', async () => {
    const r = await cli(['status', ...env, '--input', 'ssh-private-key=hunter2-not-a-key']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('input "ssh-private-key": (value hidden) is not valid');
    expect(r.stderr).not.toContain('hunter2');
  });
});

describe('a run: results on stdout, logs on stderr, 0 or 1', () => {
  const step = (ok: boolean, outputs: Record<string, string>) => (r: CliRunner) => {
    r.write('▶ Deploy');
    r.write('pulling');
    r.write('◀ Deploy (1.0s)');
    r.write('PASS  web1 reachable');
    r.write('warning: slow');
    for (const [k, v] of Object.entries(outputs)) r.setOutput(k, v);
    if (!ok) r.setFailed('health check failed');
    return ok;
  };

  it('an action command: every log line on stderr, its outputs on stdout', async () => {
    const r = await cli(['deploy', ...env, '--version', 'v2'], step(true, { 'release-id': 'r2', report: '{}' }));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('output release-id=r2');
    expect(r.stderr).toBe('▶ Deploy\npulling\n◀ Deploy (1.0s)\nPASS  web1 reachable\nwarning: slow');
  });

  it('a report command: the report on stdout, progress and warnings on stderr', async () => {
    const r = await cli(['status', ...env], step(true, { journal: '{"releases":[]}' }));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('PASS  web1 reachable');
    expect(r.stderr).toBe('▶ Deploy\npulling\n◀ Deploy (1.0s)\nwarning: slow');
  });

  it('a failure: exit 1, the failure line on stderr, the outputs so far on stdout', async () => {
    const r = await cli(['deploy', ...env, '--version', 'v2'], step(false, { 'previous-release-id': 'r1' }));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('output previous-release-id=r1');
    expect(r.stderr).toMatch(/\n✖ health check failed$/);
  });

  it('--json: one JSON document on stdout, every log line on stderr, the failure in the document', async () => {
    for (const ok of [true, false]) {
      const r = await cli(['status', ...env, '--json'], step(ok, { journal: '{"releases":[]}', drift: '[]' }));
      expect(r.code).toBe(ok ? 0 : 1);
      expect(r.stdout.split('\n')).toHaveLength(1);
      expect(JSON.parse(r.stdout)).toEqual({
        command: 'status',
        ok,
        ...(ok ? {} : { error: 'health check failed' }),
        outputs: { journal: { releases: [] }, drift: [] },
      });
      expect(r.stderr).toContain('PASS  web1 reachable');
    }
  });

  it('the step gets the inputs the flags set', async () => {
    const probe = defineAction({
      name: 'probe',
      summary: 'probe',
      inputs: { ...commonInputs, note: { description: 'n', schema: zText(() => true, 'text') } },
      main: async () => {},
    });
    let seen: Record<string, string> = {};
    const r = await cli(
      ['probe', ...env, '--input', 'note=hi'],
      (runner) => {
        seen = Object.fromEntries(['config', 'environment', 'note'].map((n) => [n, runner.getInput(n)]));
        return true;
      },
      { commands: { probe } },
    );
    expect(r.code).toBe(0);
    expect(seen).toEqual({ config: 'r.yml', environment: 'prod', note: 'hi' });
  });
});
