// Bundles one dist/<action>/index.js per action entry (src/entrypoints/*.ts) and dist/cli.js.
// Deterministic output: CI rebuilds and fails when dist/ differs from what is committed.
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const banner = [
  "import { createRequire as __runbookCreateRequire } from 'node:module';",
  "import { fileURLToPath as __runbookFileURLToPath } from 'node:url';",
  "import { dirname as __runbookDirname } from 'node:path';",
  'const require = __runbookCreateRequire(import.meta.url);',
  'const __filename = __runbookFileURLToPath(import.meta.url);',
  'const __dirname = __runbookDirname(__filename);',
].join('\n');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  legalComments: 'none',
  logLevel: 'warning',
  logOverride: { 'require-resolve-not-external': 'silent', 'empty-import-meta': 'silent' },
  // ssh2's optional native crypto addon is loaded in a try/catch; the pure-JS path is used when it is absent.
  external: ['*.node', 'cpu-features'],
};

rmSync(join(root, 'dist'), { recursive: true, force: true });
const entries = readdirSync(join(root, 'src/entrypoints')).filter((f) => f.endsWith('.ts'));
for (const file of entries) {
  const name = basename(file, '.ts');
  await build({
    ...common,
    entryPoints: [join(root, 'src/entrypoints', file)],
    outfile: join(root, 'dist', name, 'index.js'),
    banner: { js: banner },
  });
}
await build({
  ...common,
  entryPoints: [join(root, 'src/cli.ts')],
  outfile: join(root, 'dist/cli.js'),
  banner: { js: `#!/usr/bin/env node\n${banner}` },
});
