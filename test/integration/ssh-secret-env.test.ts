import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import type { SshTransport } from '../../src/transports/ssh.js';
import { captureLogger } from './helpers/sandbox.js';
import { connectSandbox } from './helpers/ssh.js';

/** Every process's command line on this machine (the sandbox sshd runs here, so its children are visible). */
function allCommandLines(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      out.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

describe('secretEnv over SSH: in the environment, never in a command line', () => {
  let t: SshTransport;
  beforeAll(async () => {
    t = (await connectSandbox({}, captureLogger())).transport;
  });
  afterAll(async () => {
    await t.close();
  });

  const secret = "s3cr3t 'p@ss' $(touch /tmp/x) ; `id`";

  it('the program sees the value exactly', async () => {
    const r = await t.exec(['printenv', 'DB_PASSWORD'], { secretEnv: { DB_PASSWORD: secret }, quiet: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${secret}\n`);
  });

  it('standard input after the secrets reaches the program untouched', async () => {
    const r = await t.exec(['cat'], { secretEnv: { A: 'x', B: 'y' }, stdin: 'line one\nline two\n', quiet: true });
    expect(r.stdout).toBe('line one\nline two\n');
  });

  it('no process on the machine shows it in its argv while the command runs', async () => {
    const running = t.exec(['sleep', '2'], { secretEnv: { DB_PASSWORD: secret }, quiet: true });
    await new Promise((r) => setTimeout(r, 700));
    const lines = allCommandLines();
    expect(lines.some((l) => l.includes('sleep 2'))).toBe(true);
    expect(lines.filter((l) => l.includes('s3cr3t'))).toEqual([]);
    expect((await running).code).toBe(0);
  });

  it('refuses values that cannot travel on one line', async () => {
    await expect(t.exec(['true'], { secretEnv: { X: 'a\nb' } })).rejects.toThrow(
      'the secret passed as X contains a line break, which cannot be passed to a remote command',
    );
    // A one-line user error (not an "internal error"), naming the variable, never the value.
    const err = await t.exec(['true'], { secretEnv: { PGPASSWORD: 's3cr3t\n' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      'the secret passed as PGPASSWORD ends in a line break (usually saved with the secret by mistake): store the secret without it',
    );
  });
});
