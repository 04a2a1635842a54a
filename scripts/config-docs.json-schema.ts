/**
 * docs/runbook.schema.json: the zod config schema as JSON Schema (`z.toJSONSchema`, input side — what is written in
 * runbook.yml —, draft-07, which every YAML editor reads), with the value kinds of config-docs.kinds.ts and every
 * key's meaning, example and default from src/config/reference.ts.
 *
 * Keys are addressed by key path (reference.ts): `properties` add `.key`, `items` add `[]`, a record's
 * `additionalProperties` add `.<name>`, and the branches of an `anyOf` share their parent's path.
 */
import * as z from 'zod';
import { SCHEMA_URL } from '../src/actions/init.js';
import { KEY_ALIASES, KEYS, type KeyReference } from '../src/config/reference.js';
import { configSchema } from '../src/config/schema.js';
import { caseless, KINDS, PLURALS } from './config-docs.kinds.js';

/** Where editors fetch the schema from (`# yaml-language-server: $schema=<SCHEMA_URL>`): the init starter's. */
export { SCHEMA_URL };

/** Relative links in meanings (`server-setup.md#nginx`, `#checks`) point here in editor hovers. */
const DOCS_URL = 'https://github.com/acme/runbook-actions/blob/v1/docs/';

export type Json = z.core.JSONSchema.JSONSchema;

/** One key of the schema: where it is, its JSON Schema node, whether its mapping requires it. */
export interface KeyNode {
  path: string;
  node: Json;
  required: boolean;
}

/** The path of a key below `alias` as documented (`environments.<name>.checks.windows` → `checks.windows`). */
export function canonicalPath(path: string): string {
  for (const [alias, target] of Object.entries(KEY_ALIASES)) {
    if (path.startsWith(`${alias}.`) || path.startsWith(`${alias}[]`)) return target + path.slice(alias.length);
  }
  return path;
}

/** Every key below `node`, depth first in schema order; keys below an alias are visited but not documented. */
export function walkKeys(node: Json, visit: (key: KeyNode) => void, path = ''): void {
  const required = new Set(node.required ?? []);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (typeof child !== 'object') continue;
    const at = path === '' ? key : `${path}.${key}`;
    visit({ path: at, node: child, required: required.has(key) });
    walkKeys(child, visit, at);
  }
  if (typeof node.items === 'object' && !Array.isArray(node.items)) walkKeys(node.items, visit, `${path}[]`);
  if (typeof node.additionalProperties === 'object') walkKeys(node.additionalProperties, visit, `${path}.<name>`);
  for (const branch of node.anyOf ?? []) walkKeys(branch, visit, path);
}

/** The regular expressions of a string schema's checks (`.regex(re)`). */
function regexesOf(schema: z.core.$ZodType): RegExp[] {
  const checks = (schema._zod.def as { checks?: z.core.$ZodCheck[] }).checks ?? [];
  return checks.flatMap((c) => {
    const pattern = (c._zod.def as { pattern?: unknown }).pattern;
    return pattern instanceof RegExp ? [pattern] : [];
  });
}

/** The zod schema as JSON Schema, with the kinds applied (titles, patterns, help) and nothing shared between keys. */
function baseSchema(): Json {
  const json = z.toJSONSchema(configSchema, {
    io: 'input',
    target: 'draft-07',
    reused: 'inline',
    unrepresentable: 'throw',
    override: ({ zodSchema, jsonSchema }) => {
      for (const re of regexesOf(zodSchema)) {
        if (re.flags.includes('i') && jsonSchema.pattern === re.source) jsonSchema.pattern = caseless(re.source);
      }
      const kind = KINDS.get(zodSchema);
      if (kind === undefined) return;
      jsonSchema.title = kind.label;
      if (kind.help !== undefined) jsonSchema.description = kind.help;
      if (kind.pattern === undefined) return;
      // A union with a string branch (a version constraint or false): the pattern belongs to that branch.
      const target = jsonSchema.anyOf?.find((b) => b.type === 'string') ?? jsonSchema;
      target.pattern = kind.pattern;
    },
  });
  return JSON.parse(JSON.stringify(json)) as Json;
}

const code = (text: string): string => `\`${text}\``;
const orList = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
const AT_LEAST_ONE = ', at least one';
const TYPE_WORDS: Readonly<Record<string, string>> = { string: 'text', number: 'number', boolean: 'boolean' };

function range(what: string, node: Json): string {
  const { minimum: lo, maximum: hi } = node;
  const n = (v: number) => v.toLocaleString('en-US');
  if (lo !== undefined && hi !== undefined && hi < Number.MAX_SAFE_INTEGER) return `${what} ${n(lo)}–${n(hi)}`;
  if (lo !== undefined) return `${what} ≥ ${lo}`;
  return what;
}

/** The type label of a node: its kind's, or one read from the JSON Schema ("integer 1–100", "list of …"). */
export function typeLabel(node: Json): string {
  if (node.title !== undefined) return node.title;
  if (node.anyOf !== undefined) return orList(node.anyOf.map((b) => typeLabel(b).replace(AT_LEAST_ONE, '')));
  if (node.const !== undefined) return code(String(node.const));
  if (node.enum !== undefined) return orList(node.enum.map((v) => code(String(v))));
  if (Array.isArray(node.type)) return orList(node.type.map((t) => TYPE_WORDS[t] ?? t));
  switch (node.type) {
    case 'boolean':
      return 'boolean';
    case 'integer':
      return range('integer', node);
    case 'number':
      return range('number', node);
    case 'string':
      return node.minLength !== undefined && node.maxLength !== undefined
        ? `text, ${node.minLength}–${node.maxLength} characters`
        : 'text';
    case 'array': {
      const items = typeof node.items === 'object' && !Array.isArray(node.items) ? node.items : {};
      const label = items.type === 'object' ? '' : ` of ${plural(typeLabel(items))}`;
      return `list${label}${(node.minItems ?? 0) >= 1 ? AT_LEAST_ONE : ''}`;
    }
    case 'object': {
      const value = node.additionalProperties;
      if (node.properties !== undefined || typeof value !== 'object' || value.type === 'object') return 'mapping';
      const names = typeof node.propertyNames === 'object' ? (node.propertyNames.title ?? 'name') : 'name';
      return `mapping of ${names} to ${typeLabel(value)}`;
    }
    default:
      return 'any value';
  }
}

const plural = (label: string): string => PLURALS.get(label) ?? label;

/** Markdown links as plain text (the `description`) or with absolute URLs (the `markdownDescription`). */
function links(markdown: string, absolute: boolean): string {
  return markdown.replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_, text: string, href: string) => {
    if (!absolute) return text;
    const url = href.startsWith('#') ? `${DOCS_URL}config.md${href}` : href.includes('://') ? href : DOCS_URL + href;
    return `[${text}](${url})`;
  });
}

function describe(node: Json, ref: KeyReference): void {
  const help = node.description;
  const join = (meaning: string) => (help === undefined ? meaning : `${meaning}\n\n${help}`);
  node.title = typeLabel(node);
  node.description = join(links(ref.meaning, false));
  node.markdownDescription = join(links(ref.meaning, true));
  if (ref.default !== undefined && node.default === undefined) node.default = ref.default;
  node.examples = [ref.example];
}

/** What generating found: the schema, and the keys it has that reference.ts does not describe. */
export interface JsonSchemaResult {
  schema: Json;
  keys: KeyNode[];
  missing: string[];
}

/** Generate the JSON Schema. Keys without a reference are listed in `missing` (and left without a description). */
export function generateJsonSchema(): JsonSchemaResult {
  const body = baseSchema();
  const keys: KeyNode[] = [];
  const missing: string[] = [];
  walkKeys(body, (key) => {
    const canonical = canonicalPath(key.path);
    const ref = Object.hasOwn(KEYS, canonical) ? KEYS[canonical] : undefined;
    if (canonical === key.path) keys.push(key);
    if (ref === undefined) {
      if (canonical === key.path) missing.push(key.path);
      key.node.title = typeLabel(key.node);
      return;
    }
    describe(key.node, ref);
  });
  const { $schema, ...rest } = body;
  const schema: Json = {
    $schema,
    $id: SCHEMA_URL,
    title: 'runbook.yml',
    description: `The config of runbook-actions: environments, services, strategy, database, checks and smoke tests. Reference: ${DOCS_URL}config.md`,
    ...rest,
  };
  return { schema, keys, missing };
}
