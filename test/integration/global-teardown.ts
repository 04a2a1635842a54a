/**
 * After the integration suite: remove the app containers its tests started in the sandbox's engine (each test clears
 * its own app's at its start, so they outlived the suite and kept their ports and health checks busy). Only what the
 * tests made: containers with the toolkit's ownership label, or of the compose tests' project.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SANDBOX_JSON, sandboxPart } from './helpers/sandbox.js';

export default function setup(): () => void {
  return () => {
    if (!existsSync(SANDBOX_JSON)) return;
    const docker = ['-H', `unix://${sandboxPart('docker').socket}`];
    const ids = new Set<string>();
    for (const filter of ['label=io.runbook.app', 'label=com.docker.compose.project=rbcompose']) {
      const out = execFileSync('docker', [...docker, 'ps', '-aq', '--filter', filter], { encoding: 'utf8' });
      for (const id of out.split('\n')) if (id.trim() !== '') ids.add(id.trim());
    }
    if (ids.size > 0) execFileSync('docker', [...docker, 'rm', '-f', ...ids], { stdio: 'ignore' });
  };
}
