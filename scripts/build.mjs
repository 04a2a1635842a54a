// Two stages, so that a step starts about as fast as bare node:
// - Start-up bundles: each action entry (src/entrypoints/<name>.ts → dist/<name>/index.js) and the CLI (src/cli.ts →
//   dist/cli.js) is one self-contained file holding what runs before the step's work: the runner, the logger, the
//   action's declaration and its input specs (zod/mini, tree-shaken). Node loads one module, not a dozen chunks.
// - The steps: everything those bundles import() — each action's step (src/actions/<name>.ts) and the environment
//   session — in one esbuild build with ESM code splitting under dist/lazy/; what they load on demand (ssh2, the
//   Docker client, octokit, …) lands in dist/lazy/chunks/. A workflow checks out the whole repository, so they are
//   always there.
// The two stages hold separate copies of a few small modules (errors, clock, input parsing); nothing keeps state
// there that must be shared, and the error classes' `instanceof` holds across copies (src/core/errors.ts).
// Deterministic output: CI rebuilds and fails when dist/ differs from what is committed (chunk names are content
// hashes; nothing here depends on time, order of the file system or the machine).
//   node scripts/build.mjs [--metafile <path>]   (the step build's metafile: what each output imports and why)
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

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

const common = {
  // Paths in the output's comments (and so chunk hashes) are relative to the repository, wherever it is checked out.
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  logOverride: { 'require-resolve-not-external': 'silent', 'empty-import-meta': 'silent' },
  // ssh2's optional native crypto addon is loaded in a try/catch; the pure-JS path is used when it is absent.
  external: ['*.node', 'cpu-features'],
  metafile: true,
  write: false,
};

/** The modules the start-up bundles import(): each action's step and the environment session. */
const steps = [
  ...readdirSync(join(root, 'src/actions'))
    .filter((f) => f.endsWith('.ts') && !['catalog.ts', 'module.ts', 'sub-step.ts'].includes(f))
    .filter((f) => !f.endsWith('-report.ts') && !f.endsWith('-options.ts'))
    .map((f) => `src/actions/${f}`),
  'src/session/session.ts',
  'src/session/connector.ts',
].sort();

const lazy = await build({
  ...common,
  entryPoints: steps,
  outbase: 'src',
  outdir: join(dist, 'lazy'),
  entryNames: '[dir]/[name]',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
});

/**
 * In a start-up bundle, `import('../deploy.js')` (a step) becomes an import of its file under dist/lazy/, relative to
 * where the bundle is written (`fromDir`); a dynamic import of anything that is not a step fails the build.
 */
const stepsOf = (fromDir) => ({
  name: 'steps-from-dist-lazy',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const source = relative(root, join(args.resolveDir, args.path)).replace(/\.js$/, '.ts');
      if (!steps.includes(source)) return { errors: [{ text: `${source}: not a step module (scripts/build.mjs)` }] };
      const target = join(dist, 'lazy', source.replace(/^src\//, '').replace(/\.ts$/, '.js'));
      return { path: `./${relative(fromDir, target)}`.replace(/^\.\/\.\.\//, '../'), external: true };
    });
  },
});

const entries = readdirSync(join(root, 'src/entrypoints'))
  .filter((f) => f.endsWith('.ts'))
  .sort()
  .map((f) => ({ in: `src/entrypoints/${f}`, out: `${basename(f, '.ts')}/index` }));
const actions = await build({
  ...common,
  entryPoints: entries,
  outdir: dist,
  plugins: [stepsOf(join(dist, 'an-action'))],
});
const cliBuild = await build({
  ...common,
  entryPoints: [{ in: 'src/cli.ts', out: 'cli' }],
  outdir: dist,
  plugins: [stepsOf(dist)],
});
const result = {
  outputFiles: [...lazy.outputFiles, ...actions.outputFiles, ...cliBuild.outputFiles],
  metafile: lazy.metafile,
};

// An error class renamed in a bundle (two classes of one name in its scope) would break `instanceof` across bundles.
for (const out of result.outputFiles) {
  const renamed = /class ([A-Z]\w*Error)\d+ extends/.exec(out.text);
  if (renamed)
    throw new Error(`${relative(root, out.path)}: ${renamed[1]} was renamed; error classes need their names`);
}

// Each file is written beside its place and renamed over it, and stale files (old chunks) are removed afterwards, so a
// test or bench running bundles while dist/ is rebuilt never reads a missing or half-written file.
const cli = join(dist, 'cli.js');
const written = new Set();
for (const out of result.outputFiles) {
  let text = withShims(out.path, out.text);
  if (out.path === cli) text = `#!/usr/bin/env node\n${text}`;
  mkdirSync(dirname(out.path), { recursive: true });
  const tmp = `${out.path}.${process.pid}.tmp`;
  // The CLI is the package's bin (`runbook`): executable, also after a rebuild (a new file would not be).
  writeFileSync(tmp, text, { mode: out.path === cli ? 0o755 : 0o644 });
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
