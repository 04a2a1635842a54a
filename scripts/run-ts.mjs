// node scripts/run-ts.mjs <file.ts> [args…]: bundles a TypeScript entry (the demo story) and runs its main(args);
// the exit code is 0 when main returns true.
import { existsSync } from 'node:fs';
import { bundleAndRun } from './bundle-run.mjs';

const [file, ...args] = process.argv.slice(2);
if (!file || !existsSync(file)) {
  console.error('usage: node scripts/run-ts.mjs <file.ts> [args…]');
  process.exitCode = 2;
} else {
  process.exitCode = (await bundleAndRun(file, args, 'runbook-ts')) ? 0 : 1;
}
