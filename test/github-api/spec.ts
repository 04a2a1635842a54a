/**
 * GitHub's published OpenAPI description (@octokit/openapi's api.github.com.json), loaded once per process: an
 * index of path templates for matching requests, operations resolved on first use. The non-dereferenced file is read
 * (13 MB, ~0.1 s, ~45 MB of heap) rather than the dereferenced one (73 MB, ~0.4 s, ~240 MB): the validators in
 * ./validate.ts resolve `$ref`s themselves, for just the schemas an operation reaches.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export type Schema = Record<string, unknown> & {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  format?: string;
};

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

/** One operation of the description, its `$ref`s for parameters, body and responses resolved one level. */
export interface Operation {
  operationId: string;
  method: string;
  /** The path template, e.g. `/repos/{owner}/{repo}/deployments/{deployment_id}/statuses`. */
  template: string;
  /** The operation's page in GitHub's REST docs (the `documentation_url` of its errors). */
  docs: string;
  parameters: Parameter[];
  /** The JSON request body's schema, when the operation takes one. */
  body?: { required: boolean; schema: Schema };
  /** Documented statuses → the JSON schema of the answer (undefined: documented without a JSON body). */
  responses: Map<string, Schema | undefined>;
}

interface Route {
  template: string;
  segments: string[];
  /** Literal segments: among templates that match a path, the one with more literals wins (as GitHub routes). */
  literals: number;
}

interface Loaded {
  doc: { paths: Record<string, Record<string, unknown>>; components: Record<string, Record<string, unknown>> };
  routes: Map<number, Route[]>;
  operations: Map<string, Operation>;
  loadMs: number;
}

const SPEC_FILE = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

let loaded: Loaded | undefined;

/** The description, parsed and indexed on first call (per process), with how long that took in milliseconds. */
export function spec(): Loaded {
  if (loaded) return loaded;
  const t0 = performance.now();
  const doc = JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as Loaded['doc'] & Record<string, unknown>;
  // Not needed here, and the biggest parts: examples and webhooks.
  delete doc.components.examples;
  delete doc['x-webhooks'];
  const routes = new Map<number, Route[]>();
  for (const template of Object.keys(doc.paths)) {
    const segments = template.split('/').slice(1);
    const route = { template, segments, literals: segments.filter((s) => !s.startsWith('{')).length };
    const list = routes.get(segments.length) ?? [];
    list.push(route);
    routes.set(segments.length, list);
  }
  for (const list of routes.values()) list.sort((a, b) => b.literals - a.literals);
  loaded = { doc, routes, operations: new Map(), loadMs: performance.now() - t0 };
  return loaded;
}

/** The JSON pointer `#/a/b` of the description. Throws when it points at nothing. */
export function pointer(ref: string): unknown {
  let node: unknown = spec().doc;
  for (const raw of ref.replace(/^#\//, '').split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
    if (node === undefined) throw new Error(`the GitHub OpenAPI description has nothing at ${ref}`);
  }
  return node;
}

function deref<T>(node: T | { $ref: string }): T {
  let n: unknown = node;
  for (let i = 0; i < 10 && typeof n === 'object' && n !== null && '$ref' in n; i++) {
    n = pointer((n as { $ref: string }).$ref);
  }
  return n as T;
}

/**
 * The operation for `method` and a concrete `path` (no query), with the path parameters' raw (decoded) values; or
 * `undefined` and whether some template matched the path with another method (GitHub answers 404 either way).
 */
export function matchOperation(
  method: string,
  path: string,
): { op: Operation; params: Record<string, string> } | { op: undefined; pathKnown: boolean } {
  const { routes, doc } = spec();
  const segments = path.split('/').slice(1);
  let pathKnown = false;
  for (const route of routes.get(segments.length) ?? []) {
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const t = route.segments[i] ?? '';
      const s = segments[i] ?? '';
      if (t.startsWith('{') && t.endsWith('}')) {
        if (s === '') ok = false;
        else params[t.slice(1, -1)] = safeDecode(s);
      } else if (t !== s) ok = false;
    }
    if (!ok) continue;
    pathKnown = true;
    const item = doc.paths[route.template] ?? {};
    if (!(method.toLowerCase() in item)) continue;
    return { op: operation(method.toLowerCase(), route.template), params };
  }
  return { op: undefined, pathKnown };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The operation at `method` (lower case) and `template`, resolved on first use. */
export function operation(method: string, template: string): Operation {
  const { doc, operations } = spec();
  const key = `${method} ${template}`;
  const known = operations.get(key);
  if (known) return known;
  const item = doc.paths[template] as Record<string, unknown> | undefined;
  const raw = item?.[method] as Record<string, unknown> | undefined;
  if (!raw || !METHODS.includes(method)) throw new Error(`no operation ${method.toUpperCase()} ${template}`);
  const shared = ((item?.parameters as unknown[]) ?? []).map((p) => deref<Parameter>(p as Parameter));
  const own = ((raw.parameters as unknown[]) ?? []).map((p) => deref<Parameter>(p as Parameter));
  const parameters = [...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)), ...own];
  const requestBody = raw.requestBody
    ? deref<{ required?: boolean; content?: Record<string, { schema?: Schema }> }>(raw.requestBody as { $ref: string })
    : undefined;
  const bodySchema = requestBody?.content?.['application/json']?.schema;
  const responses = new Map<string, Schema | undefined>();
  for (const [status, r] of Object.entries((raw.responses as Record<string, unknown>) ?? {})) {
    const res = deref<{ content?: Record<string, { schema?: Schema }> }>(r as { $ref: string });
    const content = res.content ?? {};
    const json = content['application/json'] ?? content['application/scim+json'];
    responses.set(status, json?.schema);
  }
  const op: Operation = {
    operationId: String(raw.operationId),
    method,
    template,
    docs: String((raw.externalDocs as { url?: string } | undefined)?.url ?? 'https://docs.github.com/rest'),
    parameters,
    ...(bodySchema ? { body: { required: requestBody?.required === true, schema: bodySchema } } : {}),
    responses,
  };
  operations.set(key, op);
  return op;
}

/** The component schema `name` (`#/components/schemas/<name>`). */
export function componentSchema(name: string): Schema {
  return pointer(`#/components/schemas/${name}`) as Schema;
}

/** `schema` with `$ref`s followed until a schema that is not a bare reference. */
export function resolveSchema(schema: Schema): Schema {
  return deref<Schema>(schema);
}
