import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackup } from '../../../src/backup/create.js';
import { downloadBackup } from '../../../src/backup/download.js';
import { parseBackupMeta } from '../../../src/backup/meta.js';
import { reverifyBackup } from '../../../src/backup/restore.js';
import { customPlan, fakeSite, PASSWORD } from './helpers.js';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
const COUNTS = { 'public.orders': 1000, 'public.customers': 200 };

describe('createBackup on real files (scripted PostgreSQL)', () => {
  it('writes the dump under its final name with metadata beside it, verified, mode 600', async () => {
    const s = fakeSite({ dumpBytes: 'PGDMP archive bytes', counts: COUNTS });
    const { meta, path } = await createBackup(s.deps, { ...customPlan, tag: '1a2b3c4', gitSha: '1a2b3c4d' });
    expect(meta.id).toBe('shop-production-20261123T131500Z-1a2b3c4');
    expect(path).toBe(join(s.dir, 'shop-production-20261123T131500Z-1a2b3c4.dump'));
    expect(readdirSync(s.dir).sort()).toEqual([
      'shop-production-20261123T131500Z-1a2b3c4.dump',
      'shop-production-20261123T131500Z-1a2b3c4.json',
    ]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const saved = parseBackupMeta(readFileSync(join(s.dir, `${meta.id}.json`), 'utf8'));
    expect(saved).toMatchObject({
      size: 19,
      sha256: sha('PGDMP archive bytes'),
      rowCounts: COUNTS,
      serverVersion: '15.99',
      verified: true,
      verifyMethod: 'restore',
      created: '2026-11-23T13:15:00.000Z',
      gitSha: '1a2b3c4d',
    });
    // The password reached every PostgreSQL program as secret environment only, never an argument.
    expect(s.t.secretEnvs.every((e) => e?.PGPASSWORD === PASSWORD)).toBe(true);
    expect(s.t.calls.flat().some((a) => a.includes(PASSWORD))).toBe(false);
    // Verified by a restore into a scratch database that was dropped afterwards.
    const created = s.t.calls.find((c) => c[0] === 'createdb')?.at(-1);
    expect(s.t.calls.find((c) => c[0] === 'dropdb')?.at(-1)).toBe(created);
  });

  it('pg_dump failing midway: nothing at a final name, no temp file, the older backup untouched', async () => {
    const s = fakeSite({ dumpBytes: 'first backup', counts: COUNTS });
    const older = await createBackup(s.deps, customPlan);
    const before = readFileSync(older.path);
    s.clock.set('2026-11-24T13:15:00Z');
    s.t.behaviour = { dumpBytes: 'second backup, much longer', dumpFails: true };
    await expect(createBackup(s.deps, customPlan)).rejects.toThrow(/pg_dump failed on fake \(exit 1: .*No space left/);
    expect(readdirSync(s.dir).sort()).toEqual([`${older.meta.id}.dump`, `${older.meta.id}.json`]);
    expect(readFileSync(older.path)).toEqual(before);
  });

  it('a failed verify keeps the dump as .bad with verified: false, and throws', async () => {
    const s = fakeSite({ counts: COUNTS, restoredCounts: { 'public.orders': 999, 'public.customers': 200 } });
    await expect(createBackup(s.deps, customPlan)).rejects.toThrow(
      /failed its verify \(restore\): the restored rows differ from the dump's: public.orders has 999 rows, the dump held 1000; kept as .*\.dump\.bad/,
    );
    const id = 'shop-production-20261123T131500Z-manual';
    expect(readdirSync(s.dir).sort()).toEqual([`${id}.dump.bad`, `${id}.json`]);
    const meta = parseBackupMeta(readFileSync(join(s.dir, `${id}.json`), 'utf8'));
    expect(meta).toMatchObject({ verified: false, file: `${id}.dump.bad` });
    expect(s.t.calls.some((c) => c[0] === 'dropdb')).toBe(true);
  });

  it('two backups in the same second: the second waits for the next second', async () => {
    const s = fakeSite({ counts: COUNTS });
    const a = await createBackup(s.deps, customPlan);
    const b = await createBackup(s.deps, customPlan);
    expect([a.meta.id, b.meta.id]).toEqual([
      'shop-production-20261123T131500Z-manual',
      'shop-production-20261123T131501Z-manual',
    ]);
  });

  it('re-verify: one flipped byte fails on sha256 and marks the backup bad', async () => {
    const s = fakeSite({ dumpBytes: 'PGDMP archive bytes', counts: COUNTS });
    const { meta, path } = await createBackup(s.deps, customPlan);
    const bytes = readFileSync(path);
    bytes[5] = (bytes[5] ?? 0) ^ 0x01;
    writeFileSync(path, bytes);
    await expect(reverifyBackup(s.deps, meta, 'restore')).rejects.toThrow(/has changed since it was made: sha256/);
    expect(existsSync(`${path}.bad`)).toBe(true);
    expect(parseBackupMeta(readFileSync(join(s.dir, `${meta.id}.json`), 'utf8')).verified).toBe(false);
  });

  it('re-verify of a backup marked bad that now passes gives it its name back', async () => {
    const s = fakeSite({ counts: COUNTS, restoredCounts: {} });
    await expect(createBackup(s.deps, customPlan)).rejects.toThrow(/failed its verify/);
    const [bad] = (await s.store.list()).backups;
    s.t.behaviour = { counts: COUNTS };
    const good = await reverifyBackup(s.deps, bad!, 'restore');
    expect(good).toMatchObject({ verified: true, file: 'shop-production-20261123T131500Z-manual.dump' });
    expect(readdirSync(s.dir).sort()).toEqual([good.file, `${good.id}.json`]);
  });

  it('download: streamed to the runner and checked; a mismatch leaves nothing behind', async () => {
    const s = fakeSite({ dumpBytes: 'PGDMP archive bytes', counts: COUNTS });
    const { meta, path } = await createBackup(s.deps, customPlan);
    const out = mkdtempSync(join(tmpdir(), 'dl-'));
    expect(await downloadBackup(s.t, path, meta, `${out}/`)).toBe(join(out, meta.file));
    expect(readFileSync(join(out, meta.file), 'utf8')).toBe('PGDMP archive bytes');
    const wrong = { ...meta, sha256: sha('something else') };
    await expect(downloadBackup(s.t, path, wrong, join(out, 'x.dump'))).rejects.toThrow(/does not match its metadata/);
    expect(readdirSync(out)).toEqual([meta.file]);
  });
});
