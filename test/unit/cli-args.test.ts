/** The CLI's argument parser: flags into the action's inputs, help anywhere, usage errors as UsageError. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployAction } from '../../src/actions/declare/deploy.js';
import { statusAction, unlockAction } from '../../src/actions/declare/status.js';
import { flagOf, parseCliArgs, UsageError, wantsHelp } from '../../src/cli/args.js';
import { UserError } from '../../src/core/errors.js';

const deploy = deployAction.inputs;

describe('parseCliArgs', () => {
  it('maps --config, --env, --dry-run, the shorthands and --input to the action.yml names', () => {
    const args = parseCliArgs(
      ['--config', 'r.yml', '--env', 'prod', '--dry-run', '--version', 'v2', '-i', 'services=web', '--json'],
      deploy,
    );
    expect(Object.fromEntries(args.inputs)).toEqual({
      config: 'r.yml',
      environment: 'prod',
      'dry-run': 'true',
      version: 'v2',
      services: 'web',
    });
    expect(args).toMatchObject({ json: true, debug: false, help: false });
  });

  it('reads --input name=@path from the file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cli-args-')), 'hosts');
    writeFileSync(file, 'host ssh-ed25519 AAAA\n');
    const args = parseCliArgs(['--input', `ssh-known-hosts=@${file}`], deploy);
    expect(args.inputs.get('ssh-known-hosts')).toBe('host ssh-ed25519 AAAA\n');
    expect(() => parseCliArgs(['--input', `ssh-known-hosts=@${file}.missing`], deploy)).toThrow(/ENOENT/);
  });

  it.each([
    [['--bogus'], /^Unknown option '--bogus'$/],
    [['stray'], /Unexpected argument 'stray'/],
    [['--env'], /--env/],
    [['--input', 'nope=1'], /^unknown input "nope"; this command accepts: config, environment, /],
    [['--input', 'novalue'], /^--input expects name=value, got "novalue"$/],
    [['--reason', 'x'], /^--reason is not an input of this command; it accepts: /],
    [['--dry-run=yes'], /dry-run/],
  ])('%j is a usage error', (argv, message) => {
    let caught: unknown;
    try {
      parseCliArgs(argv, deploy);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as Error).message).toMatch(message);
  });

  it.each([
    [['--help']],
    [['-h']],
    [['--env', 'prod', '--help']],
    [['--bogus', '--help']],
    [['-h', '--input', 'nope=1']],
  ])('%j asks for help whatever else is on the line', (argv) => {
    expect(wantsHelp(argv)).toBe(true);
    expect(parseCliArgs(argv, deploy).help).toBe(true);
  });

  it('a value that looks like -h is a value, not a request for help', () => {
    expect(wantsHelp(['--reason=-h'])).toBe(false);
    expect(wantsHelp(['--input', 'reason=--help'])).toBe(false);
    expect(parseCliArgs(['--reason=--help'], unlockAction.inputs).inputs.get('reason')).toBe('--help');
  });

  it('--version is the deploy input, not the CLI version, after a command', () => {
    expect(parseCliArgs(['--version', '1.10'], deploy).inputs.get('version')).toBe('1.10');
    expect(() => parseCliArgs(['--version', '1'], statusAction.inputs)).toThrow(UsageError);
  });

  it('--env is the environment; env values go in --input env=…, and --env NAME=value says so', () => {
    const args = parseCliArgs(['--env', 'prod', '--input', 'env=FEATURE_X=false'], deploy);
    expect(Object.fromEntries(args.inputs)).toMatchObject({ environment: 'prod', env: 'FEATURE_X=false' });
    expect(() => parseCliArgs(['--env', 'FEATURE_X=false'], deploy)).toThrow(
      /--env names the environment \(environments\.<name>\); for env values use --input env=FEATURE_X=false/,
    );
  });
});

describe('flagOf', () => {
  it.each([
    ['environment', 'env'],
    ['config', 'config'],
    ['dry-run', 'dry-run'],
    ['release-id', 'release-id'],
    ['ssh-private-key', undefined],
  ])('%s → %s', (input, flag) => {
    expect(flagOf(input)).toBe(flag);
  });
});
