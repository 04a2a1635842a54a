/**
 * The value kinds of `runbook.yml` as the JSON Schema shows them. On the input side a duration, size, percentage,
 * rate or version constraint is a string: each kind gets a `pattern` (checked against the real parsers by
 * test/unit/config/json-schema.test.ts), a `title` (the type label in docs/config.md and the hover heading) and a
 * short help text. Kinds are found by identity: the zod schemas that fields.ts, units.ts, … export, and a few inline
 * ones reached through the exported object schemas.
 */
import type * as z from 'zod';
import {
  zAbsPath,
  zAppName,
  zArgs,
  zArgv,
  zClockTime,
  zDateOrDateTime,
  zEnvironmentName,
  zEnvVarName,
  zFilePath,
  zFraction,
  zHost,
  zHttpUrl,
  zPort,
  zServiceName,
  zTargetName,
  zTimeZone,
  zUser,
} from '../src/config/fields.js';
import { databaseSchema } from '../src/config/schema-database.js';
import { healthSchema, zJsonPath, zJsonScalar, zStatusCode } from '../src/config/schema-health.js';
import { nginxProxySchema, serviceSchema } from '../src/config/schema-services.js';
import { smokeCheckSchema } from '../src/config/schema-smoke.js';
import { dockerSchema } from '../src/config/schema-targets.js';
import { zDiskThreshold, zDuration, zRate } from '../src/config/units.js';
import { zVersionConstraint } from '../src/config/version.js';

/** How one kind of value looks in the JSON Schema and the docs. */
export interface Kind {
  /** The type label: docs/config.md's type column and the JSON Schema `title`. */
  label: string;
  /** The label of a list of them ("list of <plural>"); default: the label. */
  plural?: string;
  /** An ECMAScript regular expression for the string form (JSON Schema `pattern`). */
  pattern?: string;
  /** One or two sentences on how to write it, added to each key's description. */
  help?: string;
}

const NUM = String.raw`\d+(?:\.\d+)?`;
const NO_CONTROL = String.raw`[^\u0000-\u001f\u007f-\u009f]`;
const SIZE = `${NUM}(?:B|[kKMGT]B?|[KMGT]iB)`;
const PERCENT = String.raw`0*(?:100(?:\.0+)?|\d{1,2}(?:\.\d+)?)%`;
const HTTP = String.raw`[hH][tT][tT][pP][sS]?://[^\s/?#@]+`;

/** The patterns of the kinds the schema's own regexes do not give. */
export const PATTERNS = {
  duration: String.raw`^(?=\d)(?:${NUM}d)?(?:${NUM}h)?(?:${NUM}m(?!s))?(?:${NUM}s)?(?:${NUM}ms)?$`,
  size: `^${SIZE}$`,
  percent: `^${PERCENT}$`,
  diskThreshold: `^(?:${PERCENT}|${SIZE})$`,
  rate: `^${NUM}/[sm]$`,
  versionConstraint: String.raw`^\s*(?:>=|>|=)\s*v?\d{1,9}(?:\.\d{1,9}){0,2}\s*$`,
  portRange: String.raw`^\s*\d{1,5}-\d{1,5}\s*$`,
  host: '^[A-Za-z0-9_:%.][A-Za-z0-9_:%.-]{0,252}$',
  absPath: String.raw`^/(?!(?:.*/)?\.\.(?:/|$))${NO_CONTROL}*$`,
  filePath: `^(?!-)${NO_CONTROL}+$`,
  arg: `^${NO_CONTROL}*$`,
  httpUrl: String.raw`^${HTTP}(?:[/?#]\S*)?$`,
  smokeUrl: String.raw`^(?:/(?!/)|${HTTP}(?:[/?#]|$))\S*$`,
  dockerHost: String.raw`^(?:unix:///|tcp://|ssh://)\S+$`,
  dateOrDateTime: String.raw`^\d{4}-\d{2}-\d{2}(?:T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)?$`,
} as const;

/** What is under `schema`, past optional/default wrappers. */
function inner(schema: z.ZodType): z.ZodType {
  const def = schema._zod.def as { type: string; innerType?: z.ZodType };
  return def.innerType !== undefined && ['optional', 'default', 'prefault'].includes(def.type)
    ? inner(def.innerType)
    : schema;
}

/** The schema under `key` of an object schema (past wrappers). */
function at(schema: z.ZodType, key: string): z.ZodType {
  const shape = (inner(schema)._zod.def as { shape?: Record<string, z.ZodType> }).shape ?? {};
  const found = shape[key];
  if (found === undefined) throw new Error(`config-docs.kinds: no key ${key} in the schema`);
  return inner(found);
}

const argItem = (zArgs as unknown as z.ZodArray<z.ZodType>).element;
const smokeShape = smokeCheckSchema.shape;
const smokeExpect = at(smokeCheckSchema, 'expect');
const smokeStatusOptions = (at(smokeExpect, 'status')._zod.def as { options?: z.ZodType[] }).options ?? [];
const smokeJsonValue = (at(smokeExpect, 'json')._zod.def as { valueType?: z.ZodType }).valueType;
const dockerTls = at(dockerSchema, 'tls');

/** Every kind, keyed by the zod schema that stands for it. */
export const KINDS: ReadonlyMap<z.core.$ZodType, Kind> = new Map<z.core.$ZodType, Kind>([
  [zAppName, { label: 'app name' }],
  [zEnvironmentName, { label: 'environment name' }],
  [zTargetName, { label: 'target name' }],
  [zServiceName, { label: 'service name', plural: 'service names' }],
  [zUser, { label: 'user name' }],
  [
    zEnvVarName,
    { label: 'variable name', plural: 'variable names', help: 'A–Z, 0–9 and `_`: the NAME, never the value.' },
  ],
  [zPort, { label: 'port 1–65535' }],
  [zFraction, { label: 'fraction 0–1', help: 'A number from 0 to 1, such as 0.01 for 1%.' }],
  [zHost, { label: 'hostname, IPv4 or IPv6', pattern: PATTERNS.host }],
  [
    zAbsPath,
    { label: 'absolute path', plural: 'absolute paths', pattern: PATTERNS.absPath, help: 'Starts with `/`, no `..`.' },
  ],
  [zFilePath, { label: 'file path', plural: 'file paths', pattern: PATTERNS.filePath }],
  [argItem, { label: 'argument', pattern: PATTERNS.arg }],
  [zArgs, { label: 'list of arguments, at least one' }],
  [zArgv, { label: 'argv', help: 'A command as a list, never a shell string; the program cannot start with `-`.' }],
  [zTimeZone, { label: 'IANA time zone', help: 'Such as `Europe/Berlin` or `UTC`.' }],
  [zClockTime, { label: '`"HH:MM"`', help: '24-hour time, quoted: `"09:00"`.' }],
  [zDateOrDateTime, { label: 'date or local date-time', pattern: PATTERNS.dateOrDateTime }],
  [zHttpUrl, { label: 'http(s) URL', pattern: PATTERNS.httpUrl, help: 'Without credentials.' }],
  [
    zDuration,
    {
      label: 'duration',
      pattern: PATTERNS.duration,
      help: 'A duration: `500ms`, `30s`, `5m`, `6h`, `1d`, combined largest first (`1m30s`). A bare number is an error.',
    },
  ],
  [zRate, { label: 'rate', pattern: PATTERNS.rate, help: 'Requests per second or minute: `20/s`, `600/m`.' }],
  [
    zDiskThreshold,
    {
      label: 'percentage or size',
      pattern: PATTERNS.diskThreshold,
      help: 'A percentage (`20%`) or a size (`512MiB`, `10GB`: k, M, G, T are powers of 1000; KiB, MiB, GiB, TiB of 1024).',
    },
  ],
  [
    zVersionConstraint,
    {
      label: 'version constraint or `false`',
      pattern: PATTERNS.versionConstraint,
      help: '`">=24"`, `">2.20"` or `"=2.29"` (quote it); only the parts written are compared. `false` skips.',
    },
  ],
  [zStatusCode, { label: 'HTTP status 100–599', plural: 'HTTP statuses' }],
  [zJsonScalar, { label: 'text, number or boolean' }],
  [zJsonPath, { label: 'JSON path' }],
  [inner(serviceSchema.shape['host-ports']), { label: '`LOW-HIGH` port range', pattern: PATTERNS.portRange }],
  [serviceSchema.shape.image, { label: 'image repository', help: 'Without a tag: the deploy’s `version` is the tag.' }],
  [nginxProxySchema.shape.upstream, { label: 'nginx upstream name' }],
  [databaseSchema.shape.name, { label: 'PostgreSQL name' }],
  [databaseSchema.shape.user, { label: 'PostgreSQL name' }],
  [dockerSchema.shape.host, { label: 'Docker endpoint', pattern: PATTERNS.dockerHost }],
  [smokeShape.url, { label: 'URL or path', pattern: PATTERNS.smokeUrl }],
  [inner(smokeShape.via), { label: '`runner`, `target` or a target name' }],
  [smokeStatusOptions[2] as z.ZodType, { label: '`"2xx"` class or `"200-399"` range' }],
  [smokeJsonValue as z.ZodType, { label: 'value, list of values or `{ exists: … }`' }],
  [at(dockerTls, 'ca-env'), { label: 'variable name' }],
  [at(at(healthSchema, 'http'), 'path'), { label: 'URL path', help: 'Starts with `/`, such as `/health`.' }],
]);

/** The labels of lists of a kind, by the kind's label. */
export const PLURALS: ReadonlyMap<string, string> = new Map(
  [...KINDS.values()].flatMap((k) => (k.plural === undefined ? [] : [[k.label, k.plural] as const])),
);

/**
 * A case-insensitive regex's source rewritten for JSON Schema, which has no flags: every `a-z` range also allows
 * `A-Z` (the only letters the schema's case-insensitive regexes name).
 */
export function caseless(source: string): string {
  return source.replace(/a-z(?!A-Z)/g, 'a-zA-Z');
}
