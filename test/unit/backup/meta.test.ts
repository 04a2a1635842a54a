import { describe, expect, it } from 'vitest';
import { expandTwoWordCommand } from '../../../src/backup/cli-words.js';
import {
  type BackupMeta,
  backupId,
  dumpExtension,
  isMetaFileOf,
  parseBackupMeta,
  serializeBackupMeta,
  shortSha,
  utcStamp,
} from '../../../src/backup/meta.js';
import { firstError, parseCounts } from '../../../src/backup/pg.js';
import { compareCounts } from '../../../src/backup/verify.js';

const sampleMeta: BackupMeta = {
  version: 1,
  id: 'shop-production-20261123T131500Z-1a2b3c4',
  app: 'shop',
  environment: 'production',
  database: 'shop',
  file: 'shop-production-20261123T131500Z-1a2b3c4.dump',
  size: 35063,
  sha256: 'c9829fda8180d3fced19e048be4813322f05918cf0a51bf5a0b0699a7a603936',
  format: 'custom',
  gzip: false,
  serverVersion: '15.18',
  created: '2026-11-23T13:15:00.000Z',
  rowCounts: { 'public.orders': 1000, 'public.customers': 200 },
  verified: true,
  verifyMethod: 'restore',
  verifiedAt: '2026-11-23T13:15:04.000Z',
};

describe('backup names', () => {
  it.each([
    [new Date('2026-11-23T13:15:00.123Z'), '20261123T131500Z'],
    [new Date('2027-01-01T00:00:09Z'), '20270101T000009Z'],
  ])('utcStamp(%s) = %s', (d, stamp) => {
    expect(utcStamp(d)).toBe(stamp);
  });

  it.each([
    ['1A2B3C4D5E6F7a8b9c0d1e2f3a4b5c6d7e8f9a0b', '1a2b3c4'],
    [undefined, 'manual'],
    ['not-a-sha', 'manual'],
    ['$(id)', 'manual'],
  ])('shortSha(%j) = %s', (sha, tag) => {
    expect(shortSha(sha)).toBe(tag);
  });

  it('ids and extensions', () => {
    expect(backupId('shop', 'production', new Date('2026-11-23T13:15:00Z'), '1a2b3c4')).toBe(
      'shop-production-20261123T131500Z-1a2b3c4',
    );
    expect([dumpExtension('custom', false), dumpExtension('plain', true), dumpExtension('plain', false)]).toEqual([
      '.dump',
      '.sql.gz',
      '.sql',
    ]);
  });

  it.each([
    ['shop-production-20261123T131500Z-1a2b3c4.json', 'production', true],
    ['shop-production-20261123T131500Z-pre-restore.json', 'production', true],
    // Another environment whose name starts like this one's is not ours.
    ['shop-production-eu-20261123T131500Z-manual.json', 'production', false],
    ['shop-production-20261123T131500Z-1a2b3c4.dump', 'production', false],
    ['.shop-production-20261123T131500Z-1a2b3c4.dump.tmp-ab12.json', 'production', false],
  ])('isMetaFileOf(%s, shop, %s) = %s', (name, env, expected) => {
    expect(isMetaFileOf(name, 'shop', env)).toBe(expected);
  });
});

describe('backup metadata', () => {
  it('round-trips through one line of JSON', () => {
    const line = serializeBackupMeta(sampleMeta);
    expect(line.split('\n')).toHaveLength(2);
    expect(parseBackupMeta(line)).toEqual(sampleMeta);
  });

  it.each([
    ['{', /not JSON/],
    [JSON.stringify({ ...sampleMeta, version: 2 }), /version/],
    [JSON.stringify({ ...sampleMeta, file: '../../etc/passwd' }), /file/],
    [JSON.stringify({ ...sampleMeta, sha256: 'abc' }), /sha256/],
    [JSON.stringify({ ...sampleMeta, rowCounts: { t: -1 } }), /rowCounts\.t/],
    [JSON.stringify({ ...sampleMeta, created: 'yesterday' }), /created: expected an ISO time/],
  ])('rejects %s', (text, why) => {
    expect(() => parseBackupMeta(text)).toThrow(why);
  });
});

describe('row counts', () => {
  it('parses the last JSON line psql printed', () => {
    const out = 'SET\n{"server_version":"15.18","counts":{"public.orders":1000,"public.events":0}}\n';
    expect(parseCounts(out)).toEqual({ serverVersion: '15.18', counts: { 'public.orders': 1000, 'public.events': 0 } });
    expect(() => parseCounts('ERROR\n')).toThrow(/no row counts/);
    expect(() => parseCounts('{"counts":{"t":"12"}}')).toThrow(/not a count for t/);
  });

  it('compares counts table by table', () => {
    expect(compareCounts({ a: 1, b: 2 }, { a: 1, b: 2 })).toEqual([]);
    expect(compareCounts({ a: 1, b: 2, c: 3 }, { a: 1, b: 5, d: 0 })).toEqual([
      'b has 5 rows, the dump held 2',
      'c is missing',
      'd was not in the dump',
    ]);
  });

  it('firstError picks the line that says what failed', () => {
    const r = { code: 1, stdout: '', stderr: 'pg_dump: dumping x\npg_dump: error: could not write: No space left\n' };
    expect(firstError(r)).toBe('exit 1: pg_dump: error: could not write: No space left');
    expect(firstError({ code: -1, signal: 'SIGKILL', stdout: '', stderr: '' })).toBe('killed by SIGKILL');
  });
});

describe('runbook backup <word>', () => {
  it.each([
    [
      ['backup', '--config', 'r.yml'],
      ['backup', '--config', 'r.yml'],
    ],
    [
      ['backup', 'list', '--env', 'prod'],
      ['backup-list', '--env', 'prod'],
    ],
    [
      ['backup', 'restore', 'shop-prod-20261123T131500Z-manual', '--env', 'prod', '--confirm', 'shop'],
      ['backup-restore', '--input', 'id=shop-prod-20261123T131500Z-manual', '--env', 'prod', '--input', 'confirm=shop'],
    ],
    [
      ['backup', 'verify', 'x1', '--confirm=shop'],
      ['backup-verify', '--input', 'id=x1', '--input', 'confirm=shop'],
    ],
    [
      ['deploy', 'list'],
      ['deploy', 'list'],
    ],
  ])('%j → %j', (argv, expected) => {
    expect(expandTwoWordCommand(argv)).toEqual(expected);
  });
});
