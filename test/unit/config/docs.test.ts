/**
 * docs/config.md cannot fall behind the schema: every key the zod config schema accepts is named there (as its full
 * path in backticks, e.g. `environments.<name>.targets[].ssh.connect-timeout`), every key path its tables list is
 * one the schema accepts, and every YAML example in it validates.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { configSchema } from '../../../src/config/schema.js';

const DOCS_PATH = join(import.meta.dirname, '../../../docs/config.md');
const docs = readFileSync(DOCS_PATH, 'utf8');

interface Def {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  out?: unknown;
  element?: unknown;
  valueType?: unknown;
  options?: unknown[];
  left?: unknown;
  right?: unknown;
  getter?: () => unknown;
}

const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;
const depth = (path: string): number => path.split(/\.|\[\]/).length;

/**
 * Every key path the schema accepts: mapping keys joined with ".", a user-chosen key (environment, service, variable
 * name) as `<name>`, a list item as `[]`. An object schema used in several places (the checks under `checks:` and
 * under `environments.<name>.checks`) is walked once, at its shortest path; elsewhere only its own key is listed.
 */
function keyPaths(root: unknown): string[] {
  const paths: string[] = [];
  const walked = new Set<unknown>();
  const queue: Array<{ schema: unknown; path: string }> = [{ schema: root, path: '' }];
  while (queue.length > 0) {
    queue.sort((a, b) => depth(a.path) - depth(b.path));
    const { schema, path } = queue.shift() as { schema: unknown; path: string };
    const def = defOf(schema);
    const visit = (next: unknown, at = path): void => void queue.push({ schema: next, path: at });
    switch (def.type) {
      case 'object':
        if (walked.has(schema)) break;
        walked.add(schema);
        for (const [key, value] of Object.entries(def.shape ?? {})) {
          const at = path === '' ? key : `${path}.${key}`;
          paths.push(at);
          visit(value, at);
        }
        break;
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'nonoptional':
      case 'readonly':
      case 'catch':
        visit(def.innerType);
        break;
      case 'pipe':
        visit(def.in);
        visit(def.out);
        break;
      case 'array':
        visit(def.element, `${path}[]`);
        break;
      case 'record':
        visit(def.valueType, `${path}.<name>`);
        break;
      case 'union':
        for (const option of def.options ?? []) visit(option);
        break;
      case 'intersection':
        visit(def.left);
        visit(def.right);
        break;
      case 'lazy':
        visit(def.getter?.());
        break;
      default:
        // A leaf (string, number, enum, literal, transform, …): no keys below it.
        break;
    }
  }
  return paths;
}

const accepted = keyPaths(configSchema);

/** The key paths the reference tables name: the first cell of each table row, when it is one code span. */
function tablePaths(text: string): string[] {
  return [...text.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1] ?? '');
}

/** A minimal valid file; an example replaces the top-level keys it gives. */
const BASE = {
  app: 'shop',
  environments: { production: { targets: [{ name: 'web1', local: true }] } },
  services: {
    api: { image: 'ghcr.io/acme/shop-api' },
    web: { image: 'ghcr.io/acme/shop-web' },
    workers: { image: 'ghcr.io/acme/shop-api' },
  },
};

describe('docs/config.md', () => {
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

  it('names every key the schema accepts', () => {
    const missing = accepted.filter((path) => !docs.includes(`\`${path}\``));
    expect(missing, `keys the schema accepts that docs/config.md does not name (as \`path\`)`).toEqual([]);
  });

  it('lists no key the schema does not accept', () => {
    const listed = tablePaths(docs);
    expect(listed.length).toBeGreaterThan(accepted.length / 2);
    const unknown = listed.filter((path) => !accepted.includes(path));
    expect(unknown, 'keys docs/config.md lists that the schema rejects').toEqual([]);
  });

  it('has examples that validate', () => {
    const blocks = [...docs.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(blocks.length).toBeGreaterThan(5);
    for (const block of blocks) {
      const example = parseYaml(block) as Record<string, unknown>;
      const result = configSchema.safeParse({ ...BASE, ...example });
      const problems = result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      expect(problems, `example:\n${block}`).toEqual([]);
    }
  });
});
