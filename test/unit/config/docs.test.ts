/**
 * docs/config.md and docs/runbook.schema.json cannot fall behind the schema: both are generated (scripts/config-docs.ts)
 * from the zod schema and the meanings in src/config/reference*.ts, and this test regenerates them and compares. Every
 * key the schema accepts needs a meaning and an example there, every example validates, and a default written in the
 * reference means what the schema's default means.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { generateConfigDocs, missingMessage, repositoryRoot } from '../../../scripts/config-docs.js';
import { generateJsonSchema } from '../../../scripts/config-docs.json-schema.js';
import { KEY_ALIASES, KEYS, SECTIONS } from '../../../src/config/reference.js';
import { configSchema } from '../../../src/config/schema.js';
import { hasZodDefault, type Parser, schemaKeys } from './schema-keys.js';

const root = repositoryRoot(import.meta.dirname);
const REGENERATE = 'bash scripts/with-node24.sh node scripts/run-ts.mjs scripts/config-docs.ts';
const { keys: accepted, nodes } = schemaKeys(configSchema);
const generated = generateJsonSchema();

/** A minimal valid file; a section example replaces the top-level keys it gives. */
const BASE = {
  app: 'shop',
  environments: { production: { targets: [{ name: 'web1', local: true }] } },
  services: {
    api: { image: 'ghcr.io/acme/shop-api' },
    web: { image: 'ghcr.io/acme/shop-web' },
    workers: { image: 'ghcr.io/acme/shop-api' },
  },
};

const problemsOf = (schema: Parser, value: unknown): string[] => {
  const r = schema.safeParse(value);
  return r.success ? [] : (r.error?.issues ?? []).map((i) => i.message);
};

/** The path of the mapping that holds `path`'s key, and how to get from its example to that mapping. */
function parentOf(path: string): { at: string; example: unknown } {
  let at = path.slice(0, path.lastIndexOf('.'));
  const take: Array<(v: unknown) => unknown> = [];
  while (!Object.hasOwn(KEYS, at)) {
    if (at.endsWith('[]')) {
      at = at.slice(0, -2);
      take.unshift((v) => (v as unknown[])[0]);
    } else if (at.endsWith('.<name>')) {
      at = at.slice(0, -'.<name>'.length);
      take.unshift((v) => Object.values(v as Record<string, unknown>)[0]);
    } else throw new Error(`no example above ${path}`);
  }
  const example = take.reduce((v, f) => f(v), KEYS[at]?.example);
  return { at: path.slice(0, path.lastIndexOf('.')), example };
}

describe('the config reference (src/config/reference*.ts)', () => {
  it('walks the real schema (sanity: keys from every section, nested ones included)', () => {
    expect(accepted).toEqual(
      expect.arrayContaining([
        'app',
        'environments.<name>.targets[].ssh.jump.user',
        'environments.<name>.checks',
        'services.<name>.port-env',
        'strategy.proxy.nginx.pid-file',
        'database.migrate.custom.downgrade',
        'checks.windows[].tz',
        'smoke.checks[].expect.json.<name>.exists',
      ]),
    );
    expect(accepted).not.toContain('environments.<name>.checks.min-free-disk');
  });

  it('has a meaning and an example for every key the schema accepts', () => {
    const missing = accepted.filter((path) => !Object.hasOwn(KEYS, path));
    expect(missing, missingMessage(missing)).toEqual([]);
    expect(generated.missing, missingMessage(generated.missing)).toEqual([]);
    for (const [path, ref] of Object.entries(KEYS)) {
      expect(ref.meaning.trim().length, `${path}: meaning`).toBeGreaterThan(5);
      expect(ref.example, `${path}: example`).not.toBeUndefined();
    }
  });

  it('describes no key the schema does not accept', () => {
    const stale = Object.keys(KEYS).filter((path) => !accepted.includes(path));
    expect(stale, 'entries of src/config/reference*.ts for keys the schema no longer has: remove them').toEqual([]);
    for (const [alias, target] of Object.entries(KEY_ALIASES)) {
      expect(accepted).toContain(alias);
      expect(accepted).toContain(target);
    }
  });

  it('gives the JSON Schema exactly the keys of the zod schema', () => {
    expect(generated.keys.map((k) => k.path).sort()).toEqual([...accepted].sort());
  });

  it('has examples that validate against their key', () => {
    const invalid = Object.entries(KEYS).flatMap(([path, ref]) => {
      const schema = nodes.get(path); // undefined: reported by 'describes no key the schema does not accept'
      const problems = schema === undefined ? [] : problemsOf(schema, ref.example);
      return problems.map((p) => `${path}: example ${JSON.stringify(ref.example)}: ${p}`);
    });
    expect(invalid).toEqual([]);
  });

  it('writes defaults that mean what the schema does when the key is left out', () => {
    for (const [path, ref] of Object.entries(KEYS)) {
      if (ref.default === undefined || !accepted.includes(path)) continue;
      const key = path.slice(path.lastIndexOf('.') + 1);
      const parent = parentOf(path);
      const schema = nodes.get(parent.at) as Parser;
      const without = { ...(parent.example as Record<string, unknown>) };
      delete without[key];
      const a = schema.safeParse(without);
      const b = schema.safeParse({ ...without, [key]: ref.default });
      expect(a.success && b.success, `${path}: the example of ${parent.at} parses with and without it`).toBe(true);
      expect(b.data, `${path}: default ${JSON.stringify(ref.default)} is what leaving it out gives`).toEqual(a.data);
    }
  });

  it('states the default of every key the schema defaults', () => {
    const json = new Map(generated.keys.map((k) => [k.path, k.node]));
    const unstated = accepted.filter((path) => {
      const schema = nodes.get(path);
      const ref = KEYS[path];
      return schema && hasZodDefault(schema) && json.get(path)?.default === undefined && !ref?.defaultNote;
    });
    expect(
      unstated,
      'keys with a schema default the docs do not show: add default: <as written> to their entry',
    ).toEqual([]);
  });

  it('has section examples that validate as parts of a config', () => {
    const blocks = SECTIONS.flatMap((s) => s.examples ?? []);
    expect(blocks.length).toBeGreaterThan(5);
    for (const block of blocks) {
      const example = parseYaml(block) as Record<string, unknown>;
      expect(problemsOf(configSchema, { ...BASE, ...example }), `example:\n${block}`).toEqual([]);
    }
  });
});

describe('the generated files', () => {
  const { files } = generateConfigDocs(root);

  it.each([...files.keys()])('%s is what scripts/config-docs.ts writes', (path) => {
    const committed = readFileSync(join(root, path), 'utf8');
    expect(committed === files.get(path), `${path} is stale: run ${REGENERATE}`).toBe(true);
  });

  it('document every key in docs/config.md, with no placeholder', () => {
    const page = files.get('docs/config.md') ?? '';
    const missing = accepted.filter((path) => !page.includes(`| \`${path}\` |`));
    expect(missing).toEqual([]);
    const placeholders = page.split('\n').filter((line) => line.includes('no meaning yet'));
    expect(placeholders, missingMessage(generated.missing)).toEqual([]);
  });
});
