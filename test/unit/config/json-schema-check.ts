/**
 * A small JSON Schema (draft-07) validator for the keywords docs/runbook.schema.json uses, so tests can check that
 * the schema an editor reads accepts every valid example and flags what runbook would refuse. Patterns are compiled
 * with the `u` flag, as yaml-language-server does. An unknown validation keyword fails loudly, so the generator
 * cannot start emitting one this validator would silently skip.
 */

export type JsonNode = Record<string, unknown>;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'markdownDescription', 'default', 'examples']);
const HANDLED = new Set([
  'type',
  'enum',
  'const',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'items',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'anyOf',
]);

/** The keywords this validator reads. */
interface Keywords {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonNode;
  properties?: Record<string, JsonNode>;
  required?: string[];
  additionalProperties?: boolean | JsonNode;
  propertyNames?: JsonNode;
  anyOf?: JsonNode[];
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(want: unknown, value: unknown): boolean {
  const wants = Array.isArray(want) ? (want as string[]) : [want as string];
  const got = typeOf(value);
  return wants.some((w) => w === got || (w === 'number' && got === 'integer'));
}

/** Problems of `value` against `schema`, as `path: what` lines; empty when it is valid. */
export function jsonSchemaProblems(schema: JsonNode, value: unknown, path = '$'): string[] {
  for (const key of Object.keys(schema)) {
    if (!ANNOTATIONS.has(key) && !HANDLED.has(key)) throw new Error(`validator: keyword ${key} at ${path}`);
  }
  const s = schema as Keywords;
  if (s.anyOf !== undefined) {
    const branches = s.anyOf.map((b) => jsonSchemaProblems(b, value, path));
    if (branches.every((b) => b.length > 0)) return [`${path}: matches no branch (${branches.flat().join('; ')})`];
  }
  if (s.type !== undefined && !typeMatches(s.type, value)) return [`${path}: expected ${s.type}, got ${typeOf(value)}`];
  if (s.const !== undefined && value !== s.const) return [`${path}: expected ${JSON.stringify(s.const)}`];
  if (s.enum !== undefined && !s.enum.includes(value)) return [`${path}: not one of ${s.enum.join(', ')}`];
  const problems: string[] = [];
  if (typeof value === 'string') {
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(value)) {
      problems.push(`${path}: ${JSON.stringify(value)} does not match ${s.pattern}`);
    }
    if (s.minLength !== undefined && [...value].length < s.minLength) problems.push(`${path}: too short`);
    if (s.maxLength !== undefined && [...value].length > s.maxLength) problems.push(`${path}: too long`);
  }
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) problems.push(`${path}: below ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) problems.push(`${path}: above ${s.maximum}`);
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) problems.push(`${path}: fewer than ${s.minItems}`);
    if (s.maxItems !== undefined && value.length > s.maxItems) problems.push(`${path}: more than ${s.maxItems}`);
    const items = s.items;
    if (items !== undefined) problems.push(...value.flatMap((v, i) => jsonSchemaProblems(items, v, `${path}[${i}]`)));
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    for (const name of s.required ?? []) {
      if (!(name in obj)) problems.push(`${path}: ${name} is required`);
    }
    for (const [k, v] of Object.entries(obj)) {
      const at = `${path}.${k}`;
      if (s.propertyNames !== undefined) problems.push(...jsonSchemaProblems(s.propertyNames, k, `${at} (name)`));
      const prop = s.properties?.[k];
      if (prop !== undefined) problems.push(...jsonSchemaProblems(prop, v, at));
      else if (s.additionalProperties === false) problems.push(`${at}: unknown key`);
      else if (typeof s.additionalProperties === 'object') {
        problems.push(...jsonSchemaProblems(s.additionalProperties, v, at));
      }
    }
  }
  return problems;
}

/** The node of the key at `path` (a key path like `services.<name>.health.http.path`), or undefined. */
export function nodeAt(root: JsonNode, path: string): JsonNode | undefined {
  const steps = path.match(/\[\]|<name>|[^.[\]]+/g) ?? [];
  let nodes: JsonNode[] = [root];
  for (const step of steps) {
    const expand = (n: JsonNode): JsonNode[] => [n, ...((n.anyOf as JsonNode[] | undefined) ?? []).flatMap(expand)];
    nodes = nodes.flatMap(expand).flatMap((n): JsonNode[] => {
      const next =
        step === '[]'
          ? n.items
          : step === '<name>'
            ? n.additionalProperties
            : (n.properties as Record<string, unknown> | undefined)?.[step];
      return typeof next === 'object' && next !== null ? [next as JsonNode] : [];
    });
  }
  return nodes[0];
}
