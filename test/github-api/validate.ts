/**
 * Requests and answers checked against the operation's schemas in GitHub's OpenAPI description, with ajv
 * (strict: false, allErrors, ajv-formats). Validators are compiled on first use per operation and cached per process;
 * a component schema (`#/components/schemas/x`) is added to ajv once, under its own id, when some operation reaches
 * it. OpenAPI 3.0 is not quite JSON Schema, so each schema is adapted on the way in:
 * - `nullable: true` without `type` (ajv refuses it) becomes `anyOf: [{type: null}, …]`;
 * - `nullable: true` with an `enum` lets `null` through (GitHub answers `state_reason: null` for an open issue);
 * - format `uri` accepts "": GitHub answers "" for the uri fields nobody set (a deployment status's target_url);
 * - `oneOf` becomes `anyOf`: GitHub's alternatives overlap (`null` matches every nullable branch; an integer is also a
 *   number), which would fail `oneOf` on documented values;
 * - descriptions, examples and `x-` extensions are dropped.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { componentSchema, type Operation, type Parameter, type Schema } from './spec.js';

const BASE = 'https://github-api.fixture/schemas/';
const DROP = new Set(['description', 'example', 'examples', 'title', 'externalDocs', 'deprecated', 'readOnly']);

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

interface Instance {
  ajv: Ajv;
  added: Set<string>;
  cache: Map<string, ValidateFunction>;
}

function instance(coerce: boolean): Instance {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateSchema: false,
    ...(coerce ? { coerceTypes: 'array' as const } : {}),
  });
  addFormats(ajv);
  const uri = addFormats.get('uri');
  const isUri = (v: string) =>
    typeof uri === 'function'
      ? uri(v)
      : uri instanceof RegExp
        ? uri.test(v)
        : Boolean((uri as { validate?: (s: string) => boolean }).validate?.(v));
  ajv.addFormat('uri', { type: 'string', validate: (v: string) => v === '' || isUri(v) });
  ajv.addFormat('repo.nwo', /^[^/\s]+\/[^/\s]+$/);
  ajv.addFormat('timestamp', true);
  return { ajv, added: new Set(), cache: new Map() };
}

let data: Instance | undefined;
let params: Instance | undefined;

/** `node` adapted for ajv (see the file's comment); the component schemas it refers to are added to `deps`. */
function adapt(node: unknown, deps: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((n) => adapt(n, deps));
  if (typeof node !== 'object' || node === null) return node;
  const src = node as Schema;
  if (typeof src.$ref === 'string') {
    const m = /^#\/components\/schemas\/(.+)$/.exec(src.$ref);
    if (!m?.[1]) throw new Error(`unsupported $ref ${src.$ref}`);
    deps.add(m[1]);
    return { $ref: `${BASE}${encodeURIComponent(m[1])}` };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) {
    if (DROP.has(k) || k.startsWith('x-')) continue;
    if (k === 'properties' || k === 'patternProperties') {
      out[k] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([p, s]) => [p, adapt(s, deps)]));
    } else if (k === 'oneOf') out.anyOf = adapt(v, deps);
    else if (k === 'enum' || k === 'const' || k === 'default' || k === 'required') out[k] = v;
    else out[k] = adapt(v, deps);
  }
  // GitHub answers null for nullable enums (issue.state_reason) that do not list null.
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (out.nullable === true && out.type === undefined) {
    delete out.nullable;
    return { anyOf: [{ type: 'null' }, out] };
  }
  return out;
}

function ensure(inst: Instance, deps: Set<string>): void {
  for (const name of deps) {
    if (inst.added.has(name)) continue;
    inst.added.add(name);
    const more = new Set<string>();
    const s = adapt(componentSchema(name), more) as Record<string, unknown>;
    const $id = `${BASE}${encodeURIComponent(name)}`;
    inst.ajv.addSchema('$ref' in s ? { $id, allOf: [s] } : { ...s, $id });
    ensure(inst, more);
  }
}

function compile(inst: Instance, key: string, schema: Schema): ValidateFunction {
  const known = inst.cache.get(key);
  if (known) return known;
  const deps = new Set<string>();
  const adapted = adapt(schema, deps) as Record<string, unknown>;
  ensure(inst, deps);
  const fn = inst.ajv.compile(adapted);
  inst.cache.set(key, fn);
  return fn;
}

/** ajv's errors as GitHub's 422 detail lines: `For 'properties/state', "bogus" is not a member of [...]`-ish. */
export function describeErrors(errors: ErrorObject[] | null | undefined, what: string): string[] {
  return (errors ?? []).slice(0, 8).map((e) => {
    const at = e.instancePath ? `${what}${e.instancePath}` : what;
    const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues;
    return allowed ? `${at} must be one of ${JSON.stringify(allowed)}` : `${at} ${e.message ?? 'is invalid'}`;
  });
}

/** Problems of a JSON request body (`undefined`: none sent) against the operation's request schema. */
export function checkBody(op: Operation, body: unknown): string[] {
  if (!op.body) return [];
  if (body === undefined) return op.body.required ? ['the request body is required and was not sent'] : [];
  data ??= instance(false);
  const fn = compile(data, `${op.operationId} body`, op.body.schema);
  return fn(body) ? [] : describeErrors(fn.errors, 'body');
}

/**
 * Problems of the path or query parameters (`in`), their string values coerced in place to the documented types
 * (so `values` then holds numbers and booleans); a query parameter the operation does not document is a problem too.
 */
export function checkParams(op: Operation, where: 'path' | 'query', values: Record<string, unknown>): string[] {
  const documented = op.parameters.filter((p: Parameter) => p.in === where);
  const problems = Object.keys(values)
    .filter((k) => !documented.some((p) => p.name === k))
    .map((k) => `${where} parameter "${k}" is not documented for ${op.operationId}`);
  if (documented.length === 0) return problems;
  const schema: Schema = {
    type: 'object',
    properties: Object.fromEntries(documented.map((p) => [p.name, p.schema ?? {}])),
    required: documented.filter((p) => p.required || p.in === 'path').map((p) => p.name),
  };
  params ??= instance(true);
  const fn = compile(params, `${op.operationId} ${where}`, schema);
  return fn(values) ? problems : [...problems, ...describeErrors(fn.errors, where)];
}

/**
 * Problems of an answer the fixture gives: its status must be documented for the operation (a 2xx that is not is a
 * problem; an undocumented error status — 401, 5xx, a rate limit — is not: the description lists few of those) and its
 * body must match the documented schema for that status.
 */
export function checkResponse(op: Operation, status: number, body: unknown): string[] {
  const key = String(status);
  if (!op.responses.has(key)) {
    return status >= 200 && status < 300 ? [`status ${status} is not documented for ${op.operationId}`] : [];
  }
  const schema = op.responses.get(key);
  if (!schema) return [];
  data ??= instance(false);
  const fn = compile(data, `${op.operationId} ${key}`, schema);
  return fn(body) ? [] : describeErrors(fn.errors, `response ${status}`);
}
