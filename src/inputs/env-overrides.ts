/**
 * The deploy's `env` input: plain environment values for this release and the ones after it, one `NAME=value` per
 * line (every service the deploy deploys) or `service.NAME=value` (that service only). Values are not secrets: they
 * are printed in the plan and the log and recorded in the journal. What the config says about a name (secret-env,
 * port-env, compose's version variable) is checked with the config (deploy/env-overrides.ts); here only the text.
 */
import * as z from 'zod/mini';
import type { EnvOverride } from '../deploy/env-overrides.js';

export type { EnvOverride };

/** A variable name, as the config's `env` keys are written (upper case, digits, "_"; not starting with a digit). */
export const ENV_OVERRIDE_NAME = /^[A-Z_][A-Z0-9_]{0,127}$/;
const SERVICE_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Bounds of the input: assignments, one value, the whole text. */
export const ENV_OVERRIDE_LIMITS = { assignments: 50, value: 4096, text: 65_536 } as const;

// C0 controls (tab included), DEL, C1 controls and the Unicode line and paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const NAME_HELP = 'upper-case letters, digits and "_", not starting with a digit, at most 128';

/** A line as an error quotes it: JSON (control characters escaped), cut at 60 characters. */
function quoted(text: string): string {
  const json = JSON.stringify(text);
  return json.length > 60 ? `${json.slice(0, 59)}…` : json;
}

/**
 * The assignments of the `env` input's text, or the first problem, naming its line. Blank lines and lines starting
 * with `#` are skipped; leading whitespace (YAML indentation) and a line's closing `\r` are dropped; the value is
 * everything after the first `=`, taken as it is (no quotes removed, nothing expanded).
 */
export function parseEnvOverrides(text: string): { overrides: EnvOverride[] } | { problem: string } {
  if (text.length > ENV_OVERRIDE_LIMITS.text) {
    return { problem: `expected at most ${ENV_OVERRIDE_LIMITS.text} characters, got ${text.length}` };
  }
  const overrides: EnvOverride[] = [];
  const seen = new Map<string, number>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '').replace(/^[ ]+/, '');
    if (line.trim() === '' || line.startsWith('#')) continue;
    const at = `line ${i + 1} (${quoted(line)})`;
    if (CONTROL.test(line))
      return { problem: `${at}: has a control character (a tab, a stray \\r …); values are one plain line` };
    const eq = line.indexOf('=');
    if (eq <= 0) return { problem: `${at}: expected NAME=value or service.NAME=value` };
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    const dot = key.indexOf('.');
    const service = dot < 0 ? undefined : key.slice(0, dot);
    const name = dot < 0 ? key : key.slice(dot + 1);
    if (service !== undefined && !SERVICE_NAME.test(service)) {
      return { problem: `${at}: ${quoted(service)} is not a service name (services.<name>: a-z, 0-9, "_", "-")` };
    }
    if (!ENV_OVERRIDE_NAME.test(name))
      return { problem: `${at}: ${quoted(name)} is not a variable name (${NAME_HELP})` };
    if (value.length > ENV_OVERRIDE_LIMITS.value) {
      return { problem: `${at}: the value has ${value.length} characters, at most ${ENV_OVERRIDE_LIMITS.value}` };
    }
    if (value !== value.trim()) {
      return { problem: `${at}: the value starts or ends with a space, which nobody sees in a workflow file` };
    }
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) {
      return {
        problem: `${at}: the value is quoted, and the quotes would be part of it: write ${name}=${value.slice(1, -1)}`,
      };
    }
    // One value per variable and service: `FEATURE_X=…` (every service) and `api.FEATURE_X=…` collide too.
    const slot = `${service ?? '*'}.${name}`;
    const before =
      service === undefined
        ? [...seen].find(([k]) => k.endsWith(`.${name}`))?.[1]
        : (seen.get(slot) ?? seen.get(`*.${name}`));
    if (before !== undefined) return { problem: `${at}: ${name} is already set by line ${before}; one value each` };
    seen.set(slot, i + 1);
    overrides.push({ line: i + 1, ...(service === undefined ? {} : { service }), name, value });
    if (overrides.length > ENV_OVERRIDE_LIMITS.assignments) {
      return { problem: `${at}: more than ${ENV_OVERRIDE_LIMITS.assignments} assignments` };
    }
  }
  return { overrides };
}

/** The `env` input's schema: the assignments, or an issue naming the line. */
export const zEnvOverrides = z.pipe(
  z.string(),
  z.transform((value: string, ctx): EnvOverride[] => {
    const r = parseEnvOverrides(value);
    if ('overrides' in r) return r.overrides;
    ctx.issues.push({ code: 'custom', message: r.problem, input: value });
    return z.NEVER;
  }),
);
