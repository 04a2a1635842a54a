// node scripts/run-ts.mjs <file.ts> [args…]: bundles a TypeScript entry (a demo, a tool) with esbuild and runs its
// exported main(args). The bundle sits three levels below the repository, as the bench bundles do, so helpers that
// find the repository from their own location keep working.
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [file, ...args] = process.argv.slice(2);
if (!file || !existsSync(file)) {
  console.error('usage: node scripts/run-ts.mjs <file.ts> [args…]');
  process.exitCode = 2;
} else {
  const outdir = join(root, 'node_modules/.cache/runbook-ts');
  if (!existsSync(outdir)) mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, `${basename(file, '.ts')}.mjs`);
  await build({
    entryPoints: [resolve(file)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  const mod = await import(pathToFileURL(outfile).href);
  process.exitCode = (await mod.main(args)) ? 0 : 1;
}
