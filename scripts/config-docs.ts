/**
 * Generates docs/runbook.schema.json and docs/config.md from the zod config schema and the meanings in
 * src/config/reference*.ts (and examples/compose-nginx-postgres.yml from the `runbook init` starter).
 *
 *   bash scripts/with-node24.sh node scripts/run-ts.mjs scripts/config-docs.ts           write the files
 *   bash scripts/with-node24.sh node scripts/run-ts.mjs scripts/config-docs.ts --check   exit 1 when one is stale
 *
 * Refuses to write while a key has no meaning: it names the keys and where to add them. `--allow-missing` writes
 * anyway, with a placeholder row (work in progress: test/unit/config/docs.test.ts still fails until they have one).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_SCHEMA_PATH, starterConfig } from '../src/actions/init.js';
import { generateJsonSchema } from './config-docs.json-schema.js';
import { generateMarkdown } from './config-docs.markdown.js';

/** The repository root: the nearest directory above this file (or its bundle) with src/config/reference.ts. */
export function repositoryRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(join(dir, 'src/config/reference.ts'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`config-docs: no repository above ${from}`);
    dir = up;
  }
  return dir;
}

/** The generated files, keyed by their path in the repository, and the keys that have no meaning yet. */
export function generateConfigDocs(root: string): { files: Map<string, string>; missing: string[] } {
  const { schema, keys, missing } = generateJsonSchema();
  const template = readFileSync(join(root, 'scripts/config-docs.template.md'), 'utf8');
  const files = new Map<string, string>([
    ['docs/runbook.schema.json', `${JSON.stringify(schema, null, 2)}\n`],
    ['docs/config.md', generateMarkdown(template, keys)],
    ['examples/compose-nginx-postgres.yml', starterConfig({ schema: EXAMPLE_SCHEMA_PATH })],
  ]);
  return { files, missing };
}

/** How to add what is missing: the message of the generator and of the unit test. */
export function missingMessage(missing: readonly string[]): string {
  return [
    `${missing.length} key(s) of the config schema have no meaning yet:`,
    ...missing.map((k) => `  ${k}`),
    "Add each to the reference file of its section (src/config/reference-*.ts; 'environments…' → reference-environments.ts,",
    "'compose…', 'services…' → reference-services.ts, 'strategy…' → reference-strategy.ts, 'database…' → reference-database.ts,",
    "'checks…', 'smoke…' → reference-checks.ts) as",
    "  '<key path>': { meaning: 'What it does. More sentences.', example: <a value as written in YAML> },",
    "with default: <value as written> when the schema's default is not its written form (durations), then run",
    '  bash scripts/with-node24.sh node scripts/run-ts.mjs scripts/config-docs.ts',
  ].join('\n');
}

export function main(args: string[]): boolean {
  const check = args.includes('--check');
  const root = repositoryRoot();
  const { files, missing } = generateConfigDocs(root);
  if (missing.length > 0) {
    console.error(missingMessage(missing));
    if (check || !args.includes('--allow-missing')) return false;
  }
  const stale = [...files].filter(([path, text]) => {
    const full = join(root, path);
    return !existsSync(full) || readFileSync(full, 'utf8') !== text;
  });
  if (check) {
    for (const [path] of stale)
      console.error(`config-docs: ${path} is stale; regenerate it (see scripts/config-docs.ts)`);
    return stale.length === 0;
  }
  for (const [path, text] of stale) {
    writeFileSync(join(root, path), text);
    console.log(`config-docs: wrote ${path}`);
  }
  if (stale.length === 0) console.log('config-docs: up to date');
  return true;
}
