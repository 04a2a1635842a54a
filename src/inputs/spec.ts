/**
 * Action inputs, parsed once with zod — its `zod/mini` build, whose functions tree-shake: every step parses its
 * inputs before anything else, so this stays out of the way of start-up (the config's schemas load with the step).
 */
import * as z from 'zod/mini';
import { durationProblem } from '../config/duration.js';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import type { Runner } from '../core/runner.js';

/** One action input, as declared in action.yml (the same name, default and required flag). */
export interface InputSpec<T = unknown> {
  description: string;
  required?: boolean;
  /** Default as action.yml writes it (a string); parsed by `schema` like any given value. */
  default?: string;
  /** Masked as soon as it is read; its value never appears in an error. */
  secret?: boolean;
  schema: z.ZodMiniType<T>;
}

export type InputSpecs = Record<string, InputSpec>;
export type ParsedInputs<S extends InputSpecs> = { [K in keyof S]: S[K] extends InputSpec<infer T> ? T : never };

/** Text with a check: `why` is the message when `ok` is false. */
export const zText = (ok: (v: string) => boolean, why: string) => z.string().check(z.refine(ok, why));

/** Text matching `re`. */
export const zPattern = (re: RegExp, why: string) => z.string().check(z.regex(re, why));

/** One of `values`. */
export const zOneOf = <const T extends readonly [string, ...string[]]>(values: T, why: string) =>
  z.enum(values, { error: why });

/** Strict booleans, as YAML 1.2 core and @actions/core read them: anything else is an error, never truthy. */
export const zBool = z.pipe(
  z.string(),
  z.transform((value: string, ctx): boolean => {
    if (['true', 'True', 'TRUE'].includes(value)) return true;
    if (['false', 'False', 'FALSE'].includes(value)) return false;
    ctx.issues.push({ code: 'custom', message: 'expected true or false', input: value });
    return z.NEVER;
  }),
);

/** A duration input (`10m`, `90s`) in milliseconds: the config's grammar (config/duration.ts). */
export const zDurationInput = z.pipe(
  z.string(),
  z.transform((value: string, ctx): number => {
    const { ms, problem } = durationProblem(value);
    if (ms !== undefined) return ms;
    ctx.issues.push({ code: 'custom', message: problem ?? 'expected a duration', input: value });
    return z.NEVER;
  }),
);

/** A comma- or space-separated list whose items all pass `ok`. */
export const zList = (ok: (item: string) => boolean, why: string) =>
  z.pipe(
    z.string(),
    z.transform((value: string, ctx): string[] => {
      const items = value.split(/[\s,]+/).filter((s) => s !== '');
      if (items.length > 0 && items.every(ok)) return items;
      ctx.issues.push({ code: 'custom', message: why, input: value });
      return z.NEVER;
    }),
  );

/** A zod result's failure, as one input problem (a secret's value is never shown); undefined when it parsed. */
function inputProblem(
  name: string,
  spec: Pick<InputSpec, 'secret'>,
  raw: string,
  result: { success: boolean; error?: { issues: readonly { message: string }[] } },
): string | undefined {
  if (result.success) return undefined;
  const why = hideUserinfo((result.error?.issues ?? []).map((i) => i.message).join('; '));
  const shown = spec.secret
    ? '(value hidden)'
    : JSON.stringify(hideUserinfo(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw));
  return `input "${name}": ${shown} is not valid: ${why}`;
}

/** `https://user:password@host` → `https://***@host`: a refused URL is quoted without the credentials it carried. */
export function hideUserinfo(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s"]*@/gi, '$1***@');
}

/**
 * Parse one input the step parses itself with a schema that loads with the step (e.g. `checks`, YAML in the config's
 * shape): the value, or a ConfigError worded as parseInputs words it.
 */
export function parseLateInput<T>(
  name: string,
  raw: string,
  schema: {
    safeParse(
      v: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: readonly { message: string }[] } };
  },
): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(inputProblem(name, {}, raw, result) ?? `input "${name}" is not valid`);
}

/** Parse every input of an action once, into an object keyed by the action.yml names. Reports all problems. */
export function parseInputs<S extends InputSpecs>(runner: Runner, log: Logger, specs: S): ParsedInputs<S> {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    let raw = runner.getInput(name);
    if (spec.secret && raw !== '') log.addSecret(raw);
    if (raw === '' && spec.default !== undefined) raw = spec.default;
    if (raw === '') {
      if (spec.required) {
        problems.push(`input "${name}" is required: ${spec.description}`);
        continue;
      }
      out[name] = undefined;
      continue;
    }
    const result = spec.schema.safeParse(raw);
    const problem = inputProblem(name, spec, raw, result);
    if (problem) problems.push(problem);
    else out[name] = result.data;
  }
  if (problems.length === 1) throw new ConfigError(problems[0]);
  if (problems.length > 1) throw new ConfigError(`${problems.length} input problems:\n${problems.join('\n')}`);
  return out as ParsedInputs<S>;
}
