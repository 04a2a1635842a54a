// CommonJS builtins: their ES module wrappers would load fs/promises, streams and readline at start-up.
const { readFileSync } = process.getBuiltinModule('node:fs');
const { homedir } = process.getBuiltinModule('node:os');
const { parseArgs } = process.getBuiltinModule('node:util');

import { UserError } from '../core/errors.js';
import type { InputSpecs } from '../inputs/spec.js';

export interface CliArgs {
  inputs: Map<string, string>;
  debug: boolean;
  summaryFile?: string;
  json: boolean;
}

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
 * `--config F --env E --dry-run --input name=value…` (and shorthand flags: --reason, --version, --scope, --release-id,
 * --path, --app, --force, --from-ssh) into the action's inputs. `--input name=@path` reads the value
 * from a file (for keys and known_hosts). Unknown input names are errors that list the allowed ones.
 */
export function parseCliArgs(argv: string[], specs: InputSpecs): CliArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      env: { type: 'string' },
      environment: { type: 'string' },
      'dry-run': { type: 'boolean' },
      input: { type: 'string', multiple: true, short: 'i' },
      debug: { type: 'boolean' },
      'summary-file': { type: 'string' },
      json: { type: 'boolean' },
      reason: { type: 'string' },
      version: { type: 'string' },
      scope: { type: 'string' },
      'release-id': { type: 'string' },
      path: { type: 'string' },
      app: { type: 'string' },
      force: { type: 'boolean' },
      'from-ssh': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const inputs = new Map<string, string>();
  for (const pair of values.input ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UserError(`--input expects name=value, got ${JSON.stringify(pair)}`);
    const name = pair.slice(0, eq);
    if (!(name in specs)) {
      throw new UserError(`unknown input "${name}"; this command accepts: ${Object.keys(specs).join(', ')}`);
    }
    inputs.set(name, readValue(pair.slice(eq + 1)));
  }
  if (values.config !== undefined) inputs.set('config', values.config);
  const env = values.env ?? values.environment;
  if (env !== undefined) inputs.set('environment', env);
  if (values['dry-run']) inputs.set('dry-run', 'true');
  // Shorthand flags for inputs some commands have.
  const flags = { ...values, force: values.force ? 'true' : undefined };
  for (const name of ['reason', 'version', 'scope', 'release-id', 'path', 'app', 'force', 'from-ssh'] as const) {
    const value = flags[name];
    if (value === undefined) continue;
    if (!(name in specs))
      throw new UserError(`--${name} is not an input of this command; it accepts: ${Object.keys(specs).join(', ')}`);
    inputs.set(name, value);
  }
  return { inputs, debug: values.debug ?? false, summaryFile: values['summary-file'], json: values.json ?? false };
}
