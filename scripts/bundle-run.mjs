// Bundle a TypeScript entry with esbuild and run its exported main(args); returns what main returns. The bundle sits
// in node_modules/.cache/<cache>/, three levels below the repository, so helpers that find the repository from their
// own location keep working.
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function bundleAndRun(file, args, cache) {
  const outdir = join(root, 'node_modules/.cache', cache);
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
  return mod.main(args);
}
