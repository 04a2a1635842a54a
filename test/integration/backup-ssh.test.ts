/**
 * The backup action over SSH (the sandbox sshd, as its unprivileged user) against the sandbox PostgreSQL: the password
 * travels through the secret-environment prelude on standard input, so no command line on the machine holds it
 * while pg_dump runs; the download comes back over SFTP with its sha256 checked.
 */

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import {
  createSeededDatabase,
  dropDatabase,
  findPgDump,
  holdLock,
  processArgvs,
  processEnviron,
  sandboxPostgres,
  waitFor,
} from './helpers/pg-sandbox.js';
import { sandboxSsh } from './helpers/sandbox.js';
import { databaseYaml } from './helpers/yaml.js';

const pg = sandboxPostgres();
const ssh = sandboxSsh();
const db = createSeededDatabase(pg, 'rbt_bssh');
const dir = mkdtempSync(join(tmpdir(), 'backup-ssh-'));
const remoteDir = `${ssh.home}/backups-${db}`;
const config = join(dir, 'runbook.yml');
writeFileSync(
  config,
  `app: shop
environments:
  sandbox:
    targets: [{ name: db1, ssh: { host: ${ssh.host}, port: ${ssh.port}, user: ${ssh.user} } }]
    state-dir: ${ssh.home}/state-${db}
${databaseYaml({ host: pg.host, port: pg.port, name: db, user: pg.user, backup: `{ directory: ${remoteDir} }` })}`,
);
const inputs = {
  config,
  environment: 'sandbox',
  'ssh-private-key': ssh.privateKey,
  'ssh-known-hosts': ssh.knownHosts,
};

afterAll(() => {
  dropDatabase(pg, db);
  rmSync(remoteDir, { recursive: true, force: true });
  rmSync(`${ssh.home}/state-${db}`, { recursive: true, force: true });
});

describe('backup over SSH', () => {
  it('pg_dump runs as the SSH user with PGPASSWORD in its environment and in no command line; download checked', async () => {
    const lock = await holdLock(pg, db, 'orders');
    const step = runStep('backup', { inputs: { ...inputs, download: `${dir}/` }, env: { DB_PASSWORD: pg.password } });
    try {
      const pid = await waitFor('pg_dump to start', () => findPgDump(db));
      const leaks = [...processArgvs()].filter(([, argv]) => argv.some((a) => a.includes(pg.password)));
      expect(leaks).toEqual([]);
      expect(processEnviron(pid)).toContain(`PGPASSWORD=${pg.password}`);
      const uid = execFileSync('id', ['-u', ssh.user], { encoding: 'utf8' }).trim();
      expect(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]).toBe(uid);
    } finally {
      await lock.release();
    }
    const r = await step;
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs.path).toBe(`${remoteDir}/${r.outputs['backup-id']}.dump`);
    expect(r.outputs.verified).toBe('true');
    const local = join(dir, `${r.outputs['backup-id']}.dump`);
    expect(createHash('sha256').update(readFileSync(local)).digest('hex')).toBe(r.outputs.sha256);
    const meta = JSON.parse(readFileSync(`${remoteDir}/${r.outputs['backup-id']}.json`, 'utf8'));
    expect(meta.rowCounts['public.orders']).toBe(1000);
    const shown = `${r.stdout}${r.stderr}`
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(shown).not.toContain(pg.password);
  });
});
