/**
 * The unit tests' temporary files in one directory of this run (TMPDIR for the test workers, which start after this),
 * removed when the run ends: a good neighbour leaves no `/tmp/backup-unit-*`, `/tmp/runbook-flow-*`… behind, however
 * a test made them.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-unit-run-'));
  // Traversable as /tmp is: tests check paths other users must reach (the sandbox's checks of the checkout).
  chmodSync(dir, 0o755);
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
