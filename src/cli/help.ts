/**
 * The CLI's usage texts, rendered from the action declarations (src/actions/declare/): a command's options are its
 * inputs (the action.yml names, descriptions, defaults, required flags), so the help cannot drift from what runs.
 */

import pkg from '../../package.json' with { type: 'json' };
import type { ActionModule } from '../actions/module.js';
import { type InputSpec, zBool } from '../inputs/spec.js';
import { BOOLEAN_SHORTHANDS, flagOf } from './args.js';

/** The package version, bundled into dist/cli.js at build time. */
export const VERSION: string = pkg.version;

const WIDTH = 100;

/** How the exit status reads, shown in every usage text. */
const EXIT_CODES = 'exit status: 0 success, 1 failure, 2 usage error (unknown command, option or input; invalid input)';

/** The words a user types for a command: `backup-list` is typed `backup list` (src/backup/cli-words.ts). */
export function typedName(name: string): string {
  return /^backup-(list|verify|restore)$/.test(name) ? name.replace('-', ' ') : name;
}

/**
 * `text` wrapped for a column that starts at `indent` and ends at `width`: the caller prints the first line at that
 * column, the following lines carry the indent themselves. A word longer than the room stays whole.
 */
export function wrap(text: string, indent: number, width = WIDTH): string {
  const lines: string[] = [];
  let line = '';
  const room = Math.max(20, width - indent);
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/** `runbook --help`: every command with its summary, and the options every command takes. */
export function topUsage(commands: Readonly<Record<string, ActionModule>>): string {
  const names = Object.keys(commands).map(typedName);
  const pad = Math.max(...names.map((n) => n.length)) + 2;
  return [
    'usage: runbook <command> [options]',
    "       runbook <command> --help     the command's inputs, with their defaults",
    '       runbook --version',
    '',
    'commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${typedName(name).padEnd(pad)}${wrap(c.summary, pad + 2)}`),
    '',
    'Results go to stdout, logs to stderr; --json prints one JSON document on stdout.',
    EXIT_CODES,
  ].join('\n');
}

/** The synopsis line of a command: how its positional words and required flags are typed. */
function synopsis(name: string): string {
  if (name === 'backup-verify') return 'runbook backup verify <id> [options]';
  if (name === 'backup-restore') return 'runbook backup restore <id> --confirm <database> [options]';
  if (name === 'maintenance') return 'runbook maintenance on|off [options]';
  return `runbook ${typedName(name)} [options]`;
}

/** What a flag's value is called in the usage, where `<value>` says too little. */
const PLACEHOLDERS: Readonly<Record<string, string>> = { config: '<file>', environment: '<name>', version: '<tag>' };

/** How one input is given on the command line: its flag, or `--input name=<value>`. */
export function inputUsage(name: string, spec: InputSpec, command = ''): string {
  if (command === 'backup-verify' || command === 'backup-restore') {
    if (name === 'id') return '<id>';
    if (name === 'confirm') return '--confirm <database>';
  }
  const flag = flagOf(name);
  if (flag && BOOLEAN_SHORTHANDS.has(flag)) return `--${flag}`;
  const value = spec.schema === zBool ? 'true|false' : (PLACEHOLDERS[name] ?? '<value>');
  return flag ? `--${flag} ${value}` : `--input ${name}=${value}`;
}

/** The notes after an input's description: required, its default, how a secret is best passed. */
function notes(name: string, spec: InputSpec): string {
  const out: string[] = [];
  const flag = flagOf(name);
  const isSwitch = flag !== undefined && BOOLEAN_SHORTHANDS.has(flag);
  if (spec.required && spec.default === undefined) out.push('required');
  // A switch (--dry-run) is off unless given: its "false" default says nothing.
  if (spec.default !== undefined && spec.default !== '' && !(isSwitch && spec.default === 'false'))
    out.push(`default: ${spec.default}`);
  if (spec.secret) out.push('secret: =@file keeps it out of the shell history');
  return out.length > 0 ? ` (${out.join('; ')})` : '';
}

/** `runbook <command> --help`: the synopsis, the summary, every input (flag, meaning, default), the common options. */
export function commandHelp(command: ActionModule): string {
  const rows = Object.entries(command.inputs).map(
    ([name, spec]) => [inputUsage(name, spec, command.name), `${spec.description}${notes(name, spec)}`] as const,
  );
  const options: Array<readonly [string, string]> = [
    ['--json', 'print the outputs (and ok, error) as one JSON document on stdout'],
    ['--debug', 'debug logging, on stderr'],
    ['--summary-file <path>', 'append the step summary (Markdown) to this file'],
    ['-h, --help', 'show this help'],
  ];
  const pad = Math.min(36, Math.max(...[...rows, ...options].map(([u]) => u.length)) + 2);
  const row = ([usage, text]: readonly [string, string]): string =>
    usage.length + 2 > pad
      ? `  ${usage}\n${' '.repeat(pad + 2)}${wrap(text, pad + 2)}`
      : `  ${usage.padEnd(pad)}${wrap(text, pad + 2)}`;
  return [
    `usage: ${synopsis(command.name)}`,
    '',
    wrap(command.summary, 0),
    '',
    'inputs (the action.yml names; --input name=@path reads a value from a file):',
    ...rows.map(row),
    '',
    'options:',
    ...options.map(row),
    '',
    EXIT_CODES,
  ].join('\n');
}
