/**
 * After the integration suite: remove the app containers its tests started in the sandbox's engine (each test clears
 * its own app's at its start, so they outlived the suite and kept their ports and health checks busy). Only what this
 * run made: the apps of the configs its steps ran (recorded by helpers/run-apps.ts in a file of this run), so a
 * benchmark or another suite running beside it on the same engine keeps its containers.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_APPS_ENV } from './helpers/run-apps.js';
import { SANDBOX_JSON, sandboxPart } from './helpers/sandbox.js';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-test-run-'));
  const file = join(dir, 'apps');
  // Inherited by the test workers, which start after this.
  process.env[RUN_APPS_ENV] = file;
  return () => {
    try {
      if (!existsSync(SANDBOX_JSON)) return;
      const apps = existsSync(file) ? new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean)) : new Set();
      const docker = ['-H', `unix://${sandboxPart('docker').socket}`];
      const ids = new Set<string>();
      const filters = [...apps].map((app) => `label=io.runbook.app=${app}`);
      filters.push('label=com.docker.compose.project=rbcompose');
      for (const filter of filters) {
        const out = execFileSync('docker', [...docker, 'ps', '-aq', '--filter', filter], { encoding: 'utf8' });
        for (const id of out.split('\n')) if (id.trim() !== '') ids.add(id.trim());
      }
      if (ids.size > 0) execFileSync('docker', [...docker, 'rm', '-f', ...ids], { stdio: 'ignore' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
