/**
 * Turning zod issues into config problems a person can act on: where (file:line:col), which key, the bad value,
 * and what is allowed — including "did you mean" for unknown keys and enum values.
 */
import type * as z from 'zod';
import type { ConfigProblem } from './problems.js';
import { didYouMean, formatPath, show } from './text.js';
import type { YamlSource } from './yaml-source.js';

/** Message zod gives an issue that the schema did not describe itself (set through the parse's error map). */
export const NO_MESSAGE = '\u0000';

type Issue = z.core.$ZodIssue;

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  null: 'nothing',
};

/** Convert every issue to one or more problems (an issue with several unknown keys gives one per key). */
export function toProblems(
  issues: readonly Issue[],
  source: YamlSource,
  file: string,
  schema: z.ZodType,
): ConfigProblem[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(schema, issue.path);
      return issue.keys.map((key) => {
        const path = [...issue.path, key];
        const hint = didYouMean(key, allowed);
        const list = hint === '' && allowed.length > 0 ? `; allowed keys: ${allowed.join(', ')}` : '';
        return problem(file, source, path, `unknown key ${show(key)}${hint}${list}`, true);
      });
    }
    if (issue.code === 'invalid_key') {
      const key = issue.path[issue.path.length - 1];
      const inner = issue.issues[0];
      const why = inner === undefined || inner.message === NO_MESSAGE ? 'not allowed' : inner.message;
      return [problem(file, source, issue.path, `invalid name ${show(key)}, ${why}`, true)];
    }
    return [problem(file, source, issue.path, describe(issue, valueAt(source.data, issue.path)), false)];
  });
}

function problem(
  file: string,
  source: YamlSource,
  path: readonly PropertyKey[],
  message: string,
  key: boolean,
): ConfigProblem {
  return { file, ...source.locate(path, key), path: formatPath(path), message };
}

/** What is wrong with `value`, given the issue zod raised for it. */
function describe(issue: Issue, value: unknown): string {
  const custom = issue.message !== NO_MESSAGE ? issue.message : undefined;
  if (issue.code === 'custom') {
    return custom?.startsWith('expected') ? `${got(value)}, ${custom}` : (custom ?? 'is invalid');
  }
  const expected = custom ?? expectation(issue);
  if (value === undefined && issue.code === 'invalid_type') return `missing required key; ${expected}`;
  const hint =
    issue.code === 'invalid_value' && typeof value === 'string'
      ? didYouMean(
          value,
          issue.values.filter((v): v is string => typeof v === 'string'),
        )
      : '';
  return `${got(value)}, ${expected}${hint}`;
}

function got(value: unknown): string {
  return value === null ? 'got an empty value' : `got ${show(value)}`;
}

function expectation(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value': {
      const values = issue.values.map((v) => (typeof v === 'string' ? v : show(v)));
      return values.length === 1 ? `expected ${values[0]}` : `expected one of ${values.join(', ')}`;
    }
    case 'too_small':
    case 'too_big':
      return bound(issue);
    case 'invalid_format':
      return issue.format === 'regex'
        ? `expected a string matching ${issue.pattern}`
        : `expected a valid ${issue.format}`;
    case 'not_multiple_of':
      return `expected a multiple of ${issue.divisor}`;
    case 'invalid_union':
      return 'expected one of the allowed forms';
    default:
      return 'is not allowed here';
  }
}

function bound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'array' || issue.origin === 'set') {
    return `expected ${small ? 'at least' : 'at most'} ${limit} item${limit === 1 ? '' : 's'}`;
  }
  if (issue.origin === 'string') {
    if (small && limit === 1) return 'expected a non-empty string';
    return `expected ${small ? 'at least' : 'at most'} ${limit} characters`;
  }
  const op = small ? (issue.inclusive === false ? '>' : '≥') : issue.inclusive === false ? '<' : '≤';
  return `expected a number ${op} ${limit}`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const seg of path) {
    if (value === null || typeof value !== 'object') return undefined;
    if (!Object.hasOwn(value, seg)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[seg];
  }
  return value;
}

interface SchemaLike {
  _zod: { def: unknown };
}

interface AnyDef {
  type: string;
  shape?: Record<string, SchemaLike>;
  valueType?: SchemaLike;
  element?: SchemaLike;
  innerType?: SchemaLike;
  in?: SchemaLike;
  options?: SchemaLike[];
  getter?: () => SchemaLike;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** Strip optional/default/pipe wrappers down to the schema that does the checking. */
function unwrap(schema: SchemaLike | undefined): AnyDef | undefined {
  let current = schema;
  for (let depth = 0; current !== undefined && depth < 32; depth++) {
    const def = current._zod.def as AnyDef;
    if (WRAPPERS.has(def.type)) current = def.innerType;
    else if (def.type === 'pipe') current = def.in;
    else if (def.type === 'lazy') current = def.getter?.();
    else return def;
  }
  return undefined;
}

/** The keys allowed by the object schema found at `path` (empty when the walk cannot tell). */
export function allowedKeys(schema: SchemaLike, path: readonly PropertyKey[]): string[] {
  let def = unwrap(schema);
  for (const seg of path) {
    if (def === undefined) return [];
    if (def.type === 'object') def = unwrap(def.shape?.[String(seg)]);
    else if (def.type === 'record') def = unwrap(def.valueType);
    else if (def.type === 'array') def = unwrap(def.element);
    else if (def.type === 'union')
      def = unwrap(objectOptions(def).find((d) => d.shape?.[String(seg)])?.shape?.[String(seg)]);
    else return [];
  }
  if (def?.type === 'union') def = objectOptions(def)[0];
  return def?.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

function objectOptions(union: AnyDef): AnyDef[] {
  return (union.options ?? []).map(unwrap).filter((d): d is AnyDef => d?.type === 'object');
}
