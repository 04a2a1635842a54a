/**
 * The sandbox in a checkout other users cannot reach (e.g. under /root, mode 700): nginx's worker and the sandbox's
 * SSH user read files of the checkout, so up.sh stops first and says which directory to change and how.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const LIB = join(import.meta.dirname, '../../sandbox/lib.sh');
const base = mkdtempSync(join(tmpdir(), 'sandbox-traverse-'));
afterAll(() => {
  chmodSync(join(base, 'home'), 0o755);
  rmSync(base, { recursive: true, force: true });
});

const firstBlocked = (path: string): string =>
  execFileSync('bash', ['-c', `. "${LIB}"; untraversable_dir "$1"`, 'bash', path], { encoding: 'utf8' }).trim();

describe('untraversable_dir', () => {
  it('names the first directory without o+x on the way to the checkout, with its mode', () => {
    const checkout = join(base, 'home', 'me', 'runbook-actions');
    mkdirSync(checkout, { recursive: true });
    chmodSync(base, 0o755);
    expect(firstBlocked(checkout)).toBe('');
    chmodSync(join(base, 'home'), 0o700);
    expect(firstBlocked(checkout)).toBe(`${join(base, 'home')} (drwx------)`);
    // The sticky bit with o+x (/tmp's drwxrwxrwt) lets others through.
    chmodSync(join(base, 'home'), 0o1777);
    expect(firstBlocked(checkout)).toBe('');
  });
});
