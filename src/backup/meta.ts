/**
 * A backup's identity and its metadata file: `<app>-<env>-<UTC yyyymmddTHHMMSSZ>-<short sha|manual>` names the dump
 * (`.dump`, `.sql`, `.sql.gz`) and `<id>.json` beside it records what was dumped and whether it was proven restorable.
 */
import { z } from 'zod';
import type { DumpFormat } from '../commands/postgres.js';

import { BACKUP_ID } from './id.js';

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,250}$/;

export type VerifyMethod = 'restore' | 'list';

export const backupMetaSchema = z.object({
  version: z.literal(1),
  id: z.string().regex(BACKUP_ID),
  app: z.string(),
  environment: z.string(),
  database: z.string(),
  /** The dump's file name in the backup directory (`.bad` appended when its verify failed). */
  file: z.string().regex(FILE_NAME),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  format: z.enum(['custom', 'plain']),
  gzip: z.boolean(),
  serverVersion: z.string(),
  /** ISO time the dump started (its snapshot). */
  created: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO time'),
  gitSha: z.string().optional(),
  /** Rows per table (`schema.table`), counted in the dump's own snapshot. */
  rowCounts: z.record(z.string(), z.number().int().nonnegative()),
  verified: z.boolean(),
  verifyMethod: z.enum(['restore', 'list']),
  verifiedAt: z.string().optional(),
  /** Why the last verify failed. */
  error: z.string().optional(),
});

export type BackupMeta = z.output<typeof backupMetaSchema>;

/** Parse one metadata file's text; throws an Error saying what is wrong. */
export function parseBackupMeta(text: string): BackupMeta {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON (${(err as Error).message})`);
  }
  const r = backupMetaSchema.safeParse(doc);
  if (r.success) return r.data;
  const why = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new Error(`not backup metadata (${why})`);
}

/** One line of JSON, so the metadata of a whole directory can be read with one `cat`. */
export const serializeBackupMeta = (m: BackupMeta): string => `${JSON.stringify(m)}\n`;

/** `2026-11-23T13:15:00.123Z` → `20261123T131500Z`. */
export function utcStamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** The first 7 characters of a git sha, or `manual` outside a workflow run. */
export function shortSha(sha: string | undefined): string {
  return sha !== undefined && /^[0-9a-f]{7,40}$/i.test(sha) ? sha.slice(0, 7).toLowerCase() : 'manual';
}

export const backupId = (app: string, environment: string, created: Date, tag: string): string =>
  `${app}-${environment}-${utcStamp(created)}-${tag}`;

export function dumpExtension(format: DumpFormat, gzip: boolean): string {
  if (format === 'custom') return '.dump';
  return gzip ? '.sql.gz' : '.sql';
}

export const metaFileName = (id: string): string => `${id}.json`;

/** Whether a directory entry is a metadata file of this app and environment. */
export function isMetaFileOf(name: string, app: string, environment: string): boolean {
  const prefix = `${app}-${environment}-`;
  return name.startsWith(prefix) && /^\d{8}T\d{6}Z-[A-Za-z0-9_-]+\.json$/.test(name.slice(prefix.length));
}
