// CommonJS builtins: their ES module wrappers would load fs/promises, streams and readline at start-up.
const { readFileSync } = process.getBuiltinModule('node:fs');
const { homedir } = process.getBuiltinModule('node:os');
const { parseArgs } = process.getBuiltinModule('node:util');

import { UserError } from '../core/errors.js';
import type { InputSpecs } from '../inputs/spec.js';

/** A mistake in how the CLI was called (unknown command, option or input, a missing or malformed value): exit 2. */
export class UsageError extends UserError {
  override name = 'UsageError';
}

export interface CliArgs {
  inputs: Map<string, string>;
  debug: boolean;
  summaryFile?: string;
  json: boolean;
  /** `--help` / `-h` was given: print the command's usage and run nothing. */
  help: boolean;
}

/** Flags that set an input of the same name, when the command has that input (`--reason x` is `--input reason=x`). */
export const SHORTHAND_INPUTS = [
  'reason',
  'version',
  'scope',
  'release-id',
  'path',
  'app',
  'force',
  'from-ssh',
] as const;

/** Shorthand flags that take no value: present means "true". */
export const BOOLEAN_SHORTHANDS: ReadonlySet<string> = new Set(['dry-run', 'force']);

/** The flag that sets an input, when there is one: `--config`, `--env`, `--dry-run` and the shorthands above. */
export function flagOf(input: string): string | undefined {
  if (input === 'environment') return 'env';
  if (input === 'config' || input === 'dry-run') return input;
  return (SHORTHAND_INPUTS as readonly string[]).includes(input) ? input : undefined;
}

const OPTIONS = {
  config: { type: 'string' },
  env: { type: 'string' },
  environment: { type: 'string' },
  'dry-run': { type: 'boolean' },
  input: { type: 'string', multiple: true, short: 'i' },
  debug: { type: 'boolean' },
  'summary-file': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  reason: { type: 'string' },
  version: { type: 'string' },
  scope: { type: 'string' },
  'release-id': { type: 'string' },
  path: { type: 'string' },
  app: { type: 'string' },
  force: { type: 'boolean' },
  'from-ssh': { type: 'string' },
} as const;

function readValue(value: string): string {
  if (!value.startsWith('@')) return value;
  const path = value.slice(1).replace(/^~(?=\/)/, homedir());
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/**
 * True when `argv` asks for help (`--help`, `-h`) as an option, wherever it stands and whatever else is wrong with the
 * line: `runbook deploy --bogus --help` shows the usage rather than an error. A `-h` given as an option's value
 * (`--reason=-h`) is not a request for help.
 */
export function wantsHelp(argv: readonly string[]): boolean {
  try {
    const { tokens } = parseArgs({ args: [...argv], options: OPTIONS, strict: false, tokens: true });
    return tokens.some((t) => t.kind === 'option' && t.name === 'help');
  } catch {
    return argv.includes('--help') || argv.includes('-h');
  }
}

/**
 * `--config F --env E --dry-run --input name=value…` (and shorthand flags: --reason, --version, --scope, --release-id,
 * --path, --app, --force, --from-ssh) into the action's inputs. `--input name=@path` reads the value from a file (for
 * keys and known_hosts). An unknown option, a positional word, or an unknown input name is a UsageError (the unknown
 * input's message lists the allowed ones); an unreadable `@path` is a UserError.
 */
export function parseCliArgs(argv: string[], specs: InputSpecs): CliArgs {
  if (wantsHelp(argv)) return { inputs: new Map(), debug: false, json: false, help: true };
  let values: ReturnType<typeof parseStrict>;
  try {
    values = parseStrict(argv);
  } catch (err) {
    // node:util's messages name the option ("Unknown option '--bogus'"); drop its advice about "--" (we take none).
    const message = err instanceof Error ? err.message : String(err);
    throw new UsageError(message.replace(/\. To specify a positional argument starting with a '-'.*$/s, ''));
  }
  const inputs = new Map<string, string>();
  for (const pair of values.input ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--input expects name=value, got ${JSON.stringify(pair)}`);
    const name = pair.slice(0, eq);
    if (!(name in specs)) {
      throw new UsageError(`unknown input "${name}"; this command accepts: ${Object.keys(specs).join(', ')}`);
    }
    inputs.set(name, readValue(pair.slice(eq + 1)));
  }
  if (values.config !== undefined) inputs.set('config', values.config);
  const env = values.env ?? values.environment;
  // `--env` is the environment's name; the deploy's env values are the input `env` (NAME=value lines).
  if (env?.includes('=') && 'env' in specs) {
    throw new UsageError(
      `--env names the environment (environments.<name>); for env values use --input env=${env} (or --input env=@FILE, one NAME=value per line)`,
    );
  }
  if (env !== undefined) inputs.set('environment', env);
  if (values['dry-run']) inputs.set('dry-run', 'true');
  const flags = { ...values, force: values.force ? 'true' : undefined };
  for (const name of SHORTHAND_INPUTS) {
    const value = flags[name];
    if (value === undefined) continue;
    if (!(name in specs))
      throw new UsageError(`--${name} is not an input of this command; it accepts: ${Object.keys(specs).join(', ')}`);
    inputs.set(name, value);
  }
  return {
    inputs,
    debug: values.debug ?? false,
    summaryFile: values['summary-file'],
    json: values.json ?? false,
    help: false,
  };
}

function parseStrict(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
}
