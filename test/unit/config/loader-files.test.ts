/**
 * The config path is read as a regular file only, and never past the 1 MiB cap (issue 12, item 6): a FIFO, a device
 * or a directory is refused by its kind before anything is read (a FIFO never hangs), and a huge file is refused
 * after reading cap + 1 bytes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, symlink, truncate, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, readConfigText } from '../../../src/config/loader.js';
import { ConfigError } from '../../../src/core/errors.js';
import { minimal } from './helpers.js';

const dir = () => mkdtemp(join(tmpdir(), 'runbook-load-'));

/** The ConfigError `loadConfig(path)` rejects with, and how long it took. */
async function refusal(path: string): Promise<{ message: string }> {
  try {
    await loadConfig(path);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return { message: (err as Error).message };
  }
  throw new Error(`expected ${path} to be refused`);
}

describe('loadConfig reads regular files only', () => {
  it('refuses a FIFO at once, naming it (opening one for reading would wait for a writer)', async () => {
    const path = join(await dir(), 'runbook.yml');
    execFileSync('mkfifo', [path]);
    const r = await refusal(path);
    expect(r.message).toBe(
      `config path ${path} is a FIFO (named pipe), not a regular file: give the path of runbook.yml`,
    );
  });

  it.runIf(existsSync('/dev/zero'))('refuses /dev/zero (a character device) without reading it', async () => {
    const r = await refusal('/dev/zero');
    expect(r.message).toBe(
      'config path /dev/zero is a character device, not a regular file: give the path of runbook.yml',
    );
  });

  it('refuses a directory, naming it', async () => {
    const d = await dir();
    expect((await refusal(d)).message).toBe(
      `config path ${d} is a directory, not a regular file: give the path of runbook.yml`,
    );
  });

  it('refuses a Unix socket, naming it', async () => {
    const path = join(await dir(), 'runbook.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      expect((await refusal(path)).message).toBe(
        `config path ${path} is a socket, not a regular file: give the path of runbook.yml`,
      );
    } finally {
      server.close();
    }
  });

  it('refuses a 10 GiB (sparse) file after reading at most cap + 1 bytes', async () => {
    const path = join(await dir(), 'runbook.yml');
    await writeFile(path, '');
    await truncate(path, 10 * 2 ** 30);
    const r = await refusal(path);
    expect(r.message).toBe(`${path}: the file is larger than 1048576 bytes`);
  });

  it('accepts exactly 1 MiB, refuses 1 MiB + 1 byte', async () => {
    const d = await dir();
    const text = minimal();
    const exact = join(d, 'exact.yml');
    const over = join(d, 'over.yml');
    const pad = (n: number) => `${text}#${'x'.repeat(n - Buffer.byteLength(text) - 2)}\n`;
    await writeFile(exact, pad(1024 * 1024));
    await writeFile(over, pad(1024 * 1024 + 1));
    expect(Buffer.byteLength(await readConfigText(exact))).toBe(1024 * 1024);
    expect((await refusal(over)).message).toBe(`${over}: the file is larger than 1048576 bytes`);
  });

  it('follows a symlink to a regular file; a missing file names the input', async () => {
    const d = await dir();
    await writeFile(join(d, 'real.yml'), minimal());
    await symlink(join(d, 'real.yml'), join(d, 'runbook.yml'));
    expect((await loadConfig(join(d, 'runbook.yml'))).app).toBe('shop');
    expect((await refusal(join(d, 'missing.yml'))).message).toBe(
      `config file not found: ${join(d, 'missing.yml')} (set its path with the action's \`config\` input)`,
    );
  });
});
