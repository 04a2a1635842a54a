/**
 * Answers in GitHub's documented shapes: the fixture writes the fields that mean something (ids, numbers, states,
 * urls, users) and {@link complete} fills every other required field from the schema with a plausible value (urls
 * under the fixture's API url, timestamps from its clock, `null` where the schema allows it), so that each answer
 * validates against the description (./validate.ts checks it).
 */
import { createHash } from 'node:crypto';
import { componentSchema, resolveSchema, type Schema } from './spec.js';

export interface FillContext {
  /** The fixture's API url, e.g. http://127.0.0.1:41234. */
  apiUrl: string;
  /** ISO 8601 time for timestamps not given. */
  now: string;
  /** Where urls not given point, e.g. `${apiUrl}/repos/acme/shop`. */
  urlBase?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `value` (a partial answer, completed in place) with every required property of `schema` (a component schema name
 * or a schema) present, recursively: given objects and arrays are completed too; missing values come from the schema
 * (enum's first, `null` when nullable, urls, timestamps, 0, false, "", {} or []).
 */
export function complete(schema: string | Schema, value: unknown, ctx: FillContext, key = ''): unknown {
  const s = resolveSchema(typeof schema === 'string' ? componentSchema(schema) : schema);
  if (s.allOf) {
    let v: unknown = value ?? (s.allOf.some((x) => isObjectSchema(resolveSchema(x))) ? {} : undefined);
    for (const part of s.allOf) v = complete(part, v, ctx, key);
    return v;
  }
  const variants = s.oneOf ?? s.anyOf;
  if (variants) {
    if (value === null) return null;
    const concrete = variants.map(resolveSchema).filter((x) => x.type !== 'null');
    const pick = value === undefined ? concrete[0] : concrete.find((x) => fits(x, value));
    return pick ? complete(pick, value, ctx, key) : value;
  }
  if (value === null) return null;
  const v = value === undefined ? fresh(s, ctx, key) : value;
  if (isObj(v) && isObjectSchema(s)) {
    const required = new Set(s.required ?? []);
    for (const [k, sub] of Object.entries(s.properties ?? {})) {
      if (k in v) {
        if (typeof v[k] === 'object' && v[k] !== null) v[k] = complete(sub, v[k], ctx, k);
      } else if (required.has(k)) {
        v[k] = nullable(sub) ? null : complete(sub, undefined, ctx, k);
      }
    }
  }
  if (Array.isArray(v) && s.items) return v.map((x) => complete(s.items as Schema, x, ctx, key));
  return v;
}

function isObjectSchema(s: Schema): boolean {
  return s.type === 'object' || (s.type === undefined && s.properties !== undefined);
}

function nullable(s: Schema): boolean {
  const r = resolveSchema(s);
  return r.nullable === true || (r.anyOf ?? r.oneOf ?? []).some((x) => resolveSchema(x).type === 'null');
}

function fits(s: Schema, value: unknown): boolean {
  const type = s.type ?? (s.properties ? 'object' : undefined);
  if (type === undefined) return true;
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return isObj(value);
  return typeof value === type;
}

function fresh(s: Schema, ctx: FillContext, key: string): unknown {
  if (s.enum && s.enum.length > 0) return s.enum[0];
  switch (s.type ?? (s.properties ? 'object' : undefined)) {
    case 'object':
      return {};
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'string':
      return freshString(s, ctx, key);
    default:
      return {};
  }
}

function freshString(s: Schema, ctx: FillContext, key: string): string {
  if (s.format === 'date-time' || key.endsWith('_at')) return ctx.now;
  if (s.format === 'date') return ctx.now.slice(0, 10);
  if (s.format === 'email') return 'octocat@github.com';
  if (s.format === 'uri' || key === 'url' || key.endsWith('_url') || key === 'href') {
    return `${ctx.urlBase ?? ctx.apiUrl}/${key.replace(/_url$/, '').replace(/_/g, '-') || 'url'}`;
  }
  if (key === 'node_id') return nodeId('X', 1);
  if (key === 'sha' || key.endsWith('_sha')) return sha1('');
  return '';
}

/** A GraphQL-ish node id: `<kind>_<base64 of the id>`, as GitHub's new-style ids look. */
export function nodeId(kind: string, id: number): string {
  return `${kind}_${Buffer.from(`0:${id}`).toString('base64').replace(/=+$/, '')}`;
}

/** The hex sha1 of `text`: stable commit shas for refs the test did not pin. */
export function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** A small stable id for a name (repositories, apps): the first 6 hex digits of its sha1. */
export function stableId(name: string): number {
  return Number.parseInt(sha1(name.toLowerCase()).slice(0, 6), 16) + 1000;
}

/** The github-actions[bot] account GITHUB_TOKEN writes as, or any login (a User). */
export function user(login: string, ctx: FillContext): Obj {
  const bot = login.endsWith('[bot]');
  const id = login === 'github-actions[bot]' ? 41898282 : stableId(login);
  const api = `${ctx.apiUrl}/users/${encodeURIComponent(login)}`;
  return complete(
    'simple-user',
    {
      login,
      id,
      node_id: nodeId(bot ? 'BOT' : 'U', id),
      avatar_url: `https://avatars.githubusercontent.com/in/${id}?v=4`,
      gravatar_id: '',
      url: api,
      html_url: bot ? `https://github.com/apps/${login.replace(/\[bot\]$/, '')}` : `https://github.com/${login}`,
      type: bot ? 'Bot' : 'User',
      site_admin: false,
    },
    { ...ctx, urlBase: api },
  ) as Obj;
}

/**
 * A repository (`full_name` owner/name) in the `repository` shape (or `minimal-repository`): `fork` marks a fork, as
 * a fork pull request's head repository is.
 */
export function repository(
  fullName: string,
  ctx: FillContext,
  opts: { fork?: boolean; schema?: 'repository' | 'minimal-repository' } = {},
): Obj {
  const [owner = 'octocat', name = 'hello-world'] = fullName.split('/');
  const id = stableId(fullName);
  const api = `${ctx.apiUrl}/repos/${owner}/${name}`;
  const html = `https://github.com/${owner}/${name}`;
  return complete(
    opts.schema ?? 'repository',
    {
      id,
      node_id: nodeId('R', id),
      name,
      full_name: `${owner}/${name}`,
      owner: user(owner, ctx),
      private: false,
      fork: opts.fork === true,
      html_url: html,
      url: api,
      clone_url: `${html}.git`,
      git_url: `git://github.com/${owner}/${name}.git`,
      ssh_url: `git@github.com:${owner}/${name}.git`,
      svn_url: html,
      default_branch: 'main',
      visibility: 'public',
    },
    { ...ctx, urlBase: api },
  ) as Obj;
}
