/** The CLI's usage texts, rendered from the action declarations: every command, every input, its default. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deployAction } from '../../src/actions/declare/deploy.js';
import { commands } from '../../src/cli/commands.js';
import { commandHelp, inputUsage, topUsage, typedName, VERSION, wrap } from '../../src/cli/help.js';
import { zBool } from '../../src/inputs/spec.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('runbook --help', () => {
  it('lists every command as it is typed, with its summary, and the exit codes', () => {
    const text = topUsage(commands);
    for (const [name, c] of Object.entries(commands)) {
      expect(text).toMatch(new RegExp(`^  ${typedName(name)} +${c.summary.split(' ').slice(0, 3).join(' ')}`, 'm'));
    }
    expect(text).toContain('  backup list ');
    expect(text).toMatch(/exit status: 0 success, 1 failure, 2 usage error/);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('the version is the package version', () => {
    expect(VERSION).toBe(pkg.version);
  });
});

describe('runbook <command> --help', () => {
  it.each(Object.keys(commands))('%s: every input is named, described, with its default and required flag', (name) => {
    const command = commands[name];
    if (!command) throw new Error(name);
    const text = commandHelp(command);
    expect(text.split('\n')[0]).toMatch(new RegExp(`^usage: runbook ${typedName(name)} `));
    // The text wraps descriptions: compare with the whitespace folded.
    const flat = text.replace(/\s+/g, ' ');
    for (const [input, spec] of Object.entries(command.inputs)) {
      expect(flat).toContain(inputUsage(input, spec, name));
      expect(flat).toContain(spec.description.replace(/\s+/g, ' '));
      if (spec.default && spec.default !== 'false') expect(flat).toContain(`default: ${spec.default}`);
    }
    expect(flat).toContain('--json');
    expect(flat).toContain('-h, --help');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('deploy: flags where there are flags, --input name=… elsewhere, required inputs marked', () => {
    const text = commandHelp(deployAction).replace(/\s+/g, ' ');
    expect(text).toMatch(/--config <file> Path of the runbook config file \(default: runbook\.yml\)/);
    expect(text).toMatch(/--env <name> Environment name from the config \(environments\.<name>\) \(required\)/);
    expect(text).toMatch(/--version <tag> The image tag to deploy .* \(required\)/);
    expect(text).toMatch(/--dry-run Print what would run on each host and change nothing --input/);
    expect(text).toMatch(/--input lock-wait=<value> .* \(default: 10m\)/);
    expect(text).toMatch(/--input registry-password=<value> .*secret: =@file/);
  });

  it('backup verify and restore show their positional id and --confirm', () => {
    const restore = commands['backup-restore'];
    if (!restore) throw new Error('backup-restore');
    expect(commandHelp(restore)).toMatch(/^usage: runbook backup restore <id> --confirm <database> \[options\]$/m);
    expect(commandHelp(restore)).toMatch(/^ {2}--confirm <database> +The configured database name/m);
  });

  it('a boolean input without a flag reads true|false', () => {
    expect(inputUsage('ssh-insecure-ignore-host-key', { description: '', schema: zBool })).toBe(
      '--input ssh-insecure-ignore-host-key=true|false',
    );
  });
});

describe('wrap', () => {
  it('wraps at the width, indents the following lines, keeps a long word whole', () => {
    expect(wrap('aaaaa bbbbb ccccc ddddd eeeee', 10, 35)).toBe(`aaaaa bbbbb ccccc ddddd\n${' '.repeat(10)}eeeee`);
    expect(wrap(`x ${'y'.repeat(30)}`, 2, 24)).toBe(`x\n  ${'y'.repeat(30)}`);
  });
});
