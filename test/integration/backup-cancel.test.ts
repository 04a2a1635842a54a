/**
 * Promise 18 for backups, against the sandbox PostgreSQL: a cancel (SIGINT, SIGTERM) while the restore-verify runs
 * is not a failed verify. A new backup leaves nothing behind (no `.bad`, no temp file, no metadata); `runbook backup
 * verify` of a good backup leaves it exactly as it was. Either way the scratch database is dropped, even when its
 * restore was still running on the server.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import { createSeededDatabase, dropDatabase, psql, sandboxPostgres, waitFor } from './helpers/pg-sandbox.js';
import { REPO_ROOT } from './helpers/sandbox.js';
import { databaseYaml, localEnvYaml } from './helpers/yaml.js';

const pg = sandboxPostgres();
const db = createSeededDatabase(pg, 'rbt_bcancel');
const root = mkdtempSync(join(tmpdir(), 'backup-cancel-'));
const dir = join(root, 'backups');
const cfg = join(root, 'runbook.yml');
writeFileSync(
  cfg,
  `${localEnvYaml({ stateDir: join(root, 'state') })}${databaseYaml({ host: pg.host, port: pg.port, name: db, user: pg.user, backup: `{ directory: ${dir}, verify: restore }` })}`,
);
const env = { DB_PASSWORD: pg.password };
const SCRATCH = `datname LIKE '${db}\\_verify\\_%'`;
const restoring = (): true | undefined =>
  psql(pg, 'postgres', `SELECT count(*) FROM pg_stat_activity WHERE ${SCRATCH} AND state = 'active'`) !== '0'
    ? true
    : undefined;
const scratchDatabases = (): string => psql(pg, 'postgres', `SELECT count(*) FROM pg_database WHERE ${SCRATCH}`);
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const snapshot = () => Object.fromEntries(readdirSync(dir).map((f) => [f, sha256(join(dir, f))]));

/** The CLI bundle, with the child at hand to signal. */
function cli(
  args: string[],
  onSpawn: (kill: (s: NodeJS.Signals) => void) => void,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(REPO_ROOT, 'dist/cli.js'), ...args, '--config', cfg, '--env', 'sandbox'],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...env },
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('close', (code) => resolve({ code, out }));
    onSpawn((s) => child.kill(s));
  });
}

let goodId = '';
beforeAll(async () => {
  // Enough rows and an index that the restore takes a while (its CREATE INDEX runs on after pg_restore is killed).
  psql(
    pg,
    db,
    'CREATE TABLE filler AS SELECT g AS id, md5(g::text) || md5((g + 1)::text) AS a FROM generate_series(1, 300000) g; CREATE INDEX filler_a ON filler (a, id)',
  );
  const made = await runStep('backup', { inputs: { config: cfg, environment: 'sandbox' }, env, timeoutMs: 120_000 });
  if (made.code !== 0) throw new Error(`the good backup failed:\n${made.stdout}`);
  goodId = made.outputs['backup-id'] ?? '';
});
afterAll(() => dropDatabase(pg, db));

describe('a cancel during the restore-verify is not a failed verify', () => {
  it('backup action, SIGINT mid-verify: no .bad, no temp file, no new metadata, scratch database dropped', async () => {
    const before = snapshot();
    let sent = false;
    const r = await runStep('backup', {
      inputs: { config: cfg, environment: 'sandbox' },
      env,
      timeoutMs: 120_000,
      onSpawn: (child) => {
        void waitFor('the verify restore', restoring, 60_000).then(() => {
          sent = true;
          child.kill('SIGINT');
        });
      },
    });
    expect(sent).toBe(true);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toMatch(/SIGINT received: cancelling and cleaning up/);
    expect(r.stdout).toMatch(/::error::.*cancelled/);
    expect(r.stdout).not.toMatch(/failed its verify|\.bad/);
    expect(snapshot()).toEqual(before);
    expect(scratchDatabases()).toBe('0');
    expect(r.outputs['backup-id']).toBeUndefined();
  });

  it('runbook backup verify, SIGTERM mid-restore: the good backup keeps its name and metadata byte for byte', async () => {
    const before = snapshot();
    expect(Object.keys(before)).toContain(`${goodId}.dump`);
    let sent = false;
    const v = await cli(['backup', 'verify', goodId], (kill) => {
      void waitFor('the verify restore', restoring, 60_000).then(() => {
        sent = true;
        kill('SIGTERM');
      });
    });
    expect(sent).toBe(true);
    expect(v.code, v.out).toBe(1);
    expect(v.out).toMatch(/cancelled/);
    expect(v.out).not.toMatch(/failed its verify|\.bad/);
    expect(snapshot()).toEqual(before);
    expect(JSON.parse(readFileSync(join(dir, `${goodId}.json`), 'utf8'))).toMatchObject({ verified: true });
    expect(scratchDatabases()).toBe('0');
    // Still a good backup: verifying it again to the end passes.
    const again = await cli(['backup', 'verify', goodId], () => undefined);
    expect(again.code, again.out).toBe(0);
  });
});
