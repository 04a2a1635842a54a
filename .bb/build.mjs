import { build } from 'esbuild';
const pure = { name: 'pure', setup(b) {
  b.onResolve({ filter: /^@actions\/(core|http-client|exec|io)/ }, async (args) => {
    if (args.pluginData?.pure) return undefined;
    const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { pure: true } });
    return { ...r, sideEffects: false };
  });
}};
await build({ entryPoints: [process.argv[2]], bundle: true, platform: 'node', format: 'esm', outfile: process.argv[3], plugins: [pure], logLevel: 'error',
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } });
