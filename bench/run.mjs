// npm run bench -- <name> [args…]: bundles bench/<name>.ts with esbuild and runs it. Each benchmark runs the
// baseline beside ours in the same run and prints one JSON line per case.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleAndRun } from '../scripts/bundle-run.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [name, ...args] = process.argv.slice(2);
const available = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>; available: ${available.join(', ')}`);
  process.exitCode = 1;
} else {
  await bundleAndRun(join(root, 'bench', `${name}.ts`), args, 'runbook-bench');
}
