import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import type { ActionHost } from '../core/host.js';
import type { Logger } from '../core/log-types.js';

/** One action input, as declared in action.yml (the same name, default and required flag). */
export interface InputSpec<T = unknown> {
  description: string;
  required?: boolean;
  /** Default as action.yml writes it (a string); parsed by `schema` like any given value. */
  default?: string;
  /** Masked as soon as it is read; its value never appears in an error. */
  secret?: boolean;
  schema: z.ZodType<T>;
}

export type InputSpecs = Record<string, InputSpec>;
export type ParsedInputs<S extends InputSpecs> = { [K in keyof S]: S[K] extends InputSpec<infer T> ? T : never };

/** Strict booleans, as YAML 1.2 core and @actions/core read them: anything else is an error, never truthy. */
export const zBool = z.string().transform((value, ctx) => {
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  ctx.addIssue({ code: 'custom', message: 'expected true or false' });
  return z.NEVER;
});

/** Parse every input of an action once, into an object keyed by the action.yml names. Reports all problems. */
export function parseInputs<S extends InputSpecs>(host: ActionHost, log: Logger, specs: S): ParsedInputs<S> {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    let raw = host.getInput(name);
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
    if (result.success) {
      out[name] = result.data;
    } else {
      const why = result.error.issues.map((i) => i.message).join('; ');
      const shown = spec.secret ? '(value hidden)' : JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
      problems.push(`input "${name}": ${shown} is not valid: ${why}`);
    }
  }
  if (problems.length === 1) throw new ConfigError(problems[0]);
  if (problems.length > 1) throw new ConfigError(`${problems.length} input problems:\n${problems.join('\n')}`);
  return out as ParsedInputs<S>;
}
