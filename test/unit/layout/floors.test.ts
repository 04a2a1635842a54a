/**
 * The source tree's floors: each folder of src/ imports only from its own floor or below, so the environment session
 * sits below the actions and above deploy/backup/migrate, and nothing at the bottom knows about what runs it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../../src');

/** Floor of each top-level folder (or root file) of src/: higher floors may import lower ones, never the reverse. */
const FLOOR: Record<string, number> = {
  core: 0,
  config: 1,
  commands: 1,
  // The GitHub API seam (octokit, the run's context), and the one summary builder above it.
  github: 1,
  report: 2,
  transports: 2,
  docker: 3,
  http: 3,
  proxy: 3,
  // smoke and canary measure HTTP answers and logs; deploy's blue-green and canary steps use them.
  smoke: 4,
  canary: 4,
  deploy: 4,
  init: 4,
  // Webhook notifications: built from the config, sent with the HTTP client; the actions call them.
  notify: 4,
  backup: 5,
  migrate: 5,
  maintenance: 5,
  checks: 6,
  rollback: 6,
  session: 7,
  inputs: 7,
  actions: 8,
  cli: 9,
  entrypoints: 10,
  // The entries @github/local-action imports (docs/local-action.md): entry points too, never bundled.
  'local-action': 10,
  'cli.ts': 10,
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const folderOf = (file: string): string => relative(SRC, file).split('/')[0] ?? '';

describe('src/ floors', () => {
  it('every folder of src/ has a floor', () => {
    const folders = readdirSync(SRC);
    expect(folders.filter((f) => FLOOR[f] === undefined)).toEqual([]);
  });

  it('no import runs back up a floor', () => {
    const upward: string[] = [];
    for (const file of sources(SRC)) {
      const from = folderOf(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
        // The package's own manifest (the CLI's --version) is data, not a floor.
        if (m[1]?.endsWith('/package.json')) continue;
        const to = folderOf(resolve(dirname(file), m[1] ?? ''));
        if ((FLOOR[to] ?? 99) > (FLOOR[from] ?? -1)) upward.push(`${relative(SRC, file)} → ${m[1]}`);
      }
    }
    expect(upward).toEqual([]);
  });
});
