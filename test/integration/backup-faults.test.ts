/**
 * Promise 12 against the sandbox PostgreSQL: a full disk during the dump, a pg_dump killed midway and one flipped
 * byte each fail the backup (or its verify) with nothing at a final name and every older backup intact; `verify:
 * list` is shown to be weak (a truncated archive passes it, a restore does not). Mounts a 256 KiB tmpfs (needs root).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep, type StepResult } from './helpers/action-runner.js';
import {
  createSeededDatabase,
  dropDatabase,
  findPgDump,
  psql,
  runCli,
  sandboxPostgres,
  waitFor,
} from './helpers/pg-sandbox.js';
import { databaseYaml, localEnvYaml } from './helpers/yaml.js';

const pg = sandboxPostgres();
const db = createSeededDatabase(pg, 'rbt_bfault');
const root = mkdtempSync(join(tmpdir(), 'backup-faults-'));
const tiny = mkdtempSync(join(root, 'tmpfs-'));
const normal = join(root, 'backups');
const env = { DB_PASSWORD: pg.password };
const printed: string[] = [];

function config(name: string, directory: string, verify = 'restore'): string {
  const path = join(root, name);
  writeFileSync(
    path,
    `${localEnvYaml({ stateDir: join(root, 'state') })}${databaseYaml({ host: pg.host, port: pg.port, name: db, user: pg.user, backup: `{ directory: ${directory}, verify: ${verify} }` })}`,
  );
  return path;
}
const tinyConfig = config('tiny.yml', tiny);
const mainConfig = config('main.yml', normal);
const listConfig = config('list.yml', normal, 'list');

async function backup(cfg: string): Promise<StepResult> {
  const r = await runStep('backup', { inputs: { config: cfg, environment: 'sandbox' }, env });
  printed.push(r.stdout, r.stderr);
  return r;
}
async function cli(args: string[], cfg: string) {
  const r = await runCli([...args, '--config', cfg, '--env', 'sandbox'], env, root);
  printed.push(r.out);
  return r;
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
/** Every file in a directory with its sha256: "intact" means this does not change. */
const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, sha256(join(dir, f))]));
const metaPath = (id: string) => join(normal, `${id}.json`);
let olderTiny: Record<string, string>;
let olderNormal: Record<string, string>;

beforeAll(async () => {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', tiny]);
  for (const cfg of [tinyConfig, mainConfig]) {
    const r = await backup(cfg);
    if (r.code !== 0) throw new Error(`the older backup failed:\n${r.stdout}`);
  }
  olderTiny = snapshot(tiny);
  olderNormal = snapshot(normal);
  // ~50 MB of barely compressible rows: a dump of tens of MB, far over the tmpfs and slow enough to kill midway.
  psql(
    pg,
    db,
    'CREATE TABLE filler AS SELECT g AS id, md5(g::text) || md5((g + 1)::text) || md5((g + 2)::text) || md5((g + 3)::text) AS a FROM generate_series(1, 400000) g',
  );
});

afterAll(() => {
  execFileSync('umount', [tiny]);
  dropDatabase(pg, db);
});

describe('backup faults against the real PostgreSQL', () => {
  it('disk full during the dump: fails, nothing at a final name, the older backup intact', async () => {
    expect(Object.keys(olderTiny)).toHaveLength(2);
    const r = await backup(tinyConfig);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/pg_dump failed on db1 \(.*No space left on device\)/);
    expect(snapshot(tiny)).toEqual(olderTiny);
    expect(r.outputs['backup-id']).toBeUndefined();
  });

  it('pg_dump killed midway: fails, nothing at a final name, no temp file, the older backup intact', async () => {
    const step = backup(mainConfig);
    const pid = await waitFor('pg_dump to start', () => findPgDump(db));
    // Midway: the temp file already holds part of the dump.
    await waitFor('the dump to be written', () => {
      const tmp = readdirSync(normal).find((f) => f.includes('.tmp-'));
      return tmp && statSync(join(normal, tmp)).size > 256 * 1024 ? tmp : undefined;
    });
    process.kill(pid, 'SIGKILL');
    const r = await step;
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/pg_dump failed on db1 \(killed by SIGKILL\)/);
    expect(snapshot(normal)).toEqual(olderNormal);
    psql(pg, db, 'DROP TABLE filler');
  });

  it('one flipped byte in a finished backup: verify fails on its sha256, the backup is marked bad and never restored', async () => {
    const made = await backup(mainConfig);
    expect(made.code, made.stdout).toBe(0);
    const id = made.outputs['backup-id'] ?? '';
    const path = made.outputs.path ?? '';
    const bytes = readFileSync(path);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 0x10;
    writeFileSync(path, bytes);
    const v = await cli(['backup', 'verify', id], mainConfig);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/failed its verify \(restore\): .* has changed since it was made: sha256/);
    expect(readdirSync(normal)).toContain(`${id}.dump.bad`);
    expect(JSON.parse(readFileSync(metaPath(id), 'utf8'))).toMatchObject({ verified: false, file: `${id}.dump.bad` });
    const list = await cli(['backup', 'list'], mainConfig);
    expect(list.out).toMatch(new RegExp(`^${id} +NO `, 'm'));
    const restore = await cli(['backup', 'restore', id, '--confirm', db], mainConfig);
    expect(restore.code).toBe(1);
    expect(restore.out).toContain(`backup ${id} is not verified`);
  });

  it('a flipped byte the checksum cannot see (made before hashing) is caught by the restore', async () => {
    const made = await backup(mainConfig);
    const id = made.outputs['backup-id'] ?? '';
    const path = made.outputs.path ?? '';
    const bytes = readFileSync(path);
    const at = Math.floor(bytes.length * 0.8);
    bytes[at] = (bytes[at] ?? 0) ^ 0x10;
    writeFileSync(path, bytes);
    const meta = JSON.parse(readFileSync(metaPath(id), 'utf8'));
    writeFileSync(metaPath(id), JSON.stringify({ ...meta, sha256: sha256(path) }));
    const v = await cli(['backup', 'verify', id], mainConfig);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/restoring into a scratch database failed \(exit 1: pg_restore: error: /);
    expect(psql(pg, 'postgres', `SELECT count(*) FROM pg_database WHERE datname LIKE '${db}\\_verify\\_%'`)).toBe('0');
  });

  it('verify: list is weak: a truncated archive passes it; verify: restore fails it', async () => {
    const made = await backup(listConfig);
    expect(made.code, made.stdout).toBe(0);
    expect(made.stdout).toContain('does not prove the backup restorable');
    const id = made.outputs['backup-id'] ?? '';
    const path = made.outputs.path ?? '';
    truncateSync(path, Math.floor(statSync(path).size * 0.6));
    const meta = JSON.parse(readFileSync(metaPath(id), 'utf8'));
    writeFileSync(metaPath(id), JSON.stringify({ ...meta, sha256: sha256(path), size: statSync(path).size }));
    const weak = await cli(['backup', 'verify', id], listConfig);
    expect(weak.code, weak.out).toBe(0);
    const strong = await cli(['backup', 'verify', id], mainConfig);
    expect(strong.code).toBe(1);
    expect(strong.out).toMatch(/failed its verify \(restore\): restoring into a scratch database failed/);
  });

  it('no run printed the password', () => {
    expect(printed.length).toBeGreaterThan(8);
    for (const text of printed) {
      const shown = text
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n');
      expect(shown).not.toContain(pg.password);
    }
  });
});
