// Bundles every action entry (src/entrypoints/<name>.ts → dist/<name>/index.js) and the CLI (src/cli.ts →
// dist/cli.js) in ONE esbuild build with ESM code splitting: what an action needs at start-up sits in its entry file
// (and a few small shared chunks); everything behind a dynamic import() (ssh2, the Docker client, octokit, …) lands in
// dist/chunks/ and is read only when a run needs it. A workflow checks out the whole repository, so shared chunks
// are always there.
// Deterministic output: CI rebuilds and fails when dist/ differs from what is committed (chunk names are content
// hashes; nothing here depends on time, order of the file system or the machine).
//   node scripts/build.mjs [--metafile <path>]   (the metafile shows what each output imports and why)
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

/**
 * The action inputs are parsed with zod's `zod/mini` build at start-up; the config's schemas (loaded with the step)
 * use classic zod. Both are built on the same zod/v4/core files, and esbuild assigns whole files to chunks: the
 * entries would statically load every core file the config uses (~660 KB, all locales). So the input parser gets its
 * own copy of those files (a separate namespace), tree-shaken to what the inputs use; the config keeps the originals.
 * Nothing passes schemas between the two.
 */
const MINI_COPY = 'zod-mini-for-inputs';
const inputsOwnZodMini = {
  name: 'inputs-own-zod-mini',
  setup(b) {
    const resolveInCopy = async (args) => {
      const r = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: { plain: true },
      });
      if (r.errors.length > 0) return { errors: r.errors };
      // Relative to the repository, so the output (its comments, the chunk hashes) is the same in every checkout.
      return { path: relative(root, r.path), namespace: MINI_COPY, sideEffects: false };
    };
    b.onResolve({ filter: /^zod\/mini$/ }, (args) =>
      args.pluginData?.plain || !args.importer.includes('/src/inputs/') ? undefined : resolveInCopy(args),
    );
    b.onResolve({ filter: /.*/, namespace: MINI_COPY }, resolveInCopy);
    b.onLoad({ filter: /.*/, namespace: MINI_COPY }, async (args) => ({
      contents: await readFile(join(root, args.path), 'utf8'),
      loader: 'js',
      resolveDir: dirname(join(root, args.path)),
    }));
  },
};

/**
 * Bundled CommonJS (ssh2, undici, yaml's helpers, …) calls `require` and reads `__filename`/`__dirname`, which an ES
 * module does not have. Each output file that refers to one of them gets the lines defining it, and only those; a
 * file that declares one of these names itself would collide with the banner, so that fails the build.
 */
const shim = {
  // process.getBuiltinModule gives the CommonJS builtins without building their ES module wrappers (node:module's
  // wrapper alone loads the source-map support). `require` is made on first call: the helper chunk every entry imports refers to it, but only bundled CommonJS
  // (ssh2, undici, …, loaded when a run needs them) calls it.
  require: [
    'function require(id) {',
    "  require.made ??= process.getBuiltinModule('node:module').createRequire(import.meta.url);",
    '  return require.made(id);',
    '}',
  ],
  __filename: ["const __filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);"],
  __dirname: [
    "const __dirname = process.getBuiltinModule('node:path').dirname(process.getBuiltinModule('node:url').fileURLToPath(import.meta.url));",
  ],
};

function withShims(file, text) {
  const used = Object.keys(shim).filter((name) => new RegExp(`(?<![\\w$.])${name}(?![\\w$])`).test(text));
  if (used.length === 0) return text;
  const declared = used.filter((name) =>
    new RegExp(`^(?:var|let|const|function|class|async function)\\s+${name}(?![\\w$])`, 'm').test(text),
  );
  if (declared.length > 0) {
    throw new Error(`${relative(root, file)} declares ${declared.join(', ')} itself: the CommonJS shim would collide`);
  }
  const lines = [...new Set(used.flatMap((name) => shim[name]))];
  return `${lines.join('\n')}\n${text}`;
}

const entries = readdirSync(join(root, 'src/entrypoints'))
  .filter((f) => f.endsWith('.ts'))
  .sort()
  .map((f) => ({ in: join(root, 'src/entrypoints', f), out: `${basename(f, '.ts')}/index` }));
entries.push({ in: join(root, 'src/cli.ts'), out: 'cli' });

const result = await build({
  entryPoints: entries,
  // Paths in the output's comments (and so chunk hashes) are relative to the repository, wherever it is checked out.
  absWorkingDir: root,
  outdir: dist,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  logOverride: { 'require-resolve-not-external': 'silent', 'empty-import-meta': 'silent' },
  // ssh2's optional native crypto addon is loaded in a try/catch; the pure-JS path is used when it is absent.
  external: ['*.node', 'cpu-features'],
  plugins: [inputsOwnZodMini],
  metafile: true,
  write: false,
});

// Each file is written beside its place and renamed over it, and stale files (old chunks) are removed afterwards, so a
// test or bench running bundles while dist/ is rebuilt never reads a missing or half-written file.
const cli = join(dist, 'cli.js');
const written = new Set();
for (const out of result.outputFiles) {
  let text = withShims(out.path, out.text);
  if (out.path === cli) text = `#!/usr/bin/env node\n${text}`;
  mkdirSync(dirname(out.path), { recursive: true });
  const tmp = `${out.path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, out.path);
  written.add(out.path);
}
for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
  const path = join(entry.parentPath, entry.name);
  if (entry.isFile() && !written.has(path)) rmSync(path);
}
for (const entry of readdirSync(dist, { withFileTypes: true })) {
  const path = join(dist, entry.name);
  if (entry.isDirectory() && readdirSync(path).length === 0) rmSync(path, { recursive: true });
}

const metaAt = process.argv.indexOf('--metafile');
if (metaAt !== -1 && process.argv[metaAt + 1]) writeFileSync(process.argv[metaAt + 1], JSON.stringify(result.metafile));
