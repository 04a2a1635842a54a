/** The backup directory on the primary target: dumps and their metadata files, read and changed through argv. */
import { catFilesArgv, existsArgv, listDirArgv, removeFilesArgv, renameArgv, syncPathArgv } from '../commands/files.js';
import { UserError } from '../core/errors.js';
import { check, writeAtomic } from '../transports/files.js';
import type { Transport } from '../transports/types.js';
import { type BackupMeta, isMetaFileOf, metaFileName, parseBackupMeta, serializeBackupMeta } from './meta.js';

const QUIET = { quiet: true, timeoutMs: 60_000 } as const;
/** Files per `cat`, well below any argument-length limit. */
const CHUNK = 200;

export interface BackupListing {
  /** Oldest first. */
  backups: BackupMeta[];
  /** Metadata files that could not be read (never deleted by retention). */
  problems: string[];
}

export class BackupStore {
  constructor(
    readonly t: Transport,
    readonly dir: string,
    readonly app: string,
    readonly environment: string,
  ) {}

  path(file: string): string {
    return `${this.dir}/${file}`;
  }

  metaPath(id: string): string {
    return this.path(metaFileName(id));
  }

  async exists(file: string): Promise<boolean> {
    return (await this.t.exec(existsArgv(this.path(file)), QUIET)).code === 0;
  }

  /** Every backup of this app and environment in the directory, oldest first. A missing directory is empty. */
  async list(): Promise<BackupListing> {
    const ls = await this.t.exec(listDirArgv(this.dir), QUIET);
    if (ls.code !== 0) {
      if (/No such file/i.test(ls.stderr)) return { backups: [], problems: [] };
      throw new UserError(`cannot list ${this.dir} on ${this.t.name}: ${ls.stderr.trim()}`);
    }
    const names = ls.stdout.split('\n').filter((n) => isMetaFileOf(n, this.app, this.environment));
    const backups: BackupMeta[] = [];
    const problems: string[] = [];
    for (let i = 0; i < names.length; i += CHUNK) {
      const chunk = names.slice(i, i + CHUNK);
      const r = await this.t.exec(catFilesArgv(chunk.map((n) => this.path(n))), QUIET);
      // Each metadata file is one line; a file that vanished meanwhile (retention elsewhere) is simply absent.
      const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
      for (const line of lines) {
        try {
          const meta = parseBackupMeta(line);
          if (meta.app === this.app && meta.environment === this.environment) backups.push(meta);
        } catch (err) {
          problems.push(`a metadata file in ${this.dir} is unreadable: ${(err as Error).message}`);
        }
      }
    }
    backups.sort((a, b) => Date.parse(a.created) - Date.parse(b.created) || a.id.localeCompare(b.id));
    return { backups, problems };
  }

  async find(id: string): Promise<BackupMeta> {
    const { backups } = await this.list();
    const found = backups.find((b) => b.id === id);
    if (found) return found;
    const known = backups.slice(-5).map((b) => b.id);
    throw new UserError(
      `no backup ${id} in ${this.dir} on ${this.t.name}${known.length > 0 ? `; newest: ${known.join(', ')}` : ' (none yet)'}`,
    );
  }

  /** Write a backup's metadata (temp file, fsync, rename). */
  async save(meta: BackupMeta): Promise<void> {
    await writeAtomic(this.t, this.metaPath(meta.id), serializeBackupMeta(meta));
  }

  /** Move a dump to its name in the directory and make the rename durable. */
  async moveInto(from: string, file: string): Promise<void> {
    check(await this.t.exec(renameArgv(from, this.path(file)), QUIET), `renaming ${from} on ${this.t.name}`);
    await this.t.exec(syncPathArgv(this.dir), QUIET).catch(() => undefined);
  }

  /** Mark a backup bad: its dump renamed `<file>.bad` (never restored by accident), its metadata unverified. */
  async markBad(meta: BackupMeta, error: string, at: Date): Promise<BackupMeta> {
    let file = meta.file;
    if (!file.endsWith('.bad') && (await this.exists(file))) {
      await this.moveInto(this.path(file), `${file}.bad`);
      file = `${file}.bad`;
    }
    const bad = { ...meta, file, verified: false, verifiedAt: at.toISOString(), error };
    await this.save(bad);
    return bad;
  }

  /** Delete a backup: its dump and its metadata. */
  async remove(meta: BackupMeta): Promise<void> {
    const r = await this.t.exec(removeFilesArgv([this.path(meta.file), this.metaPath(meta.id)]), QUIET);
    check(r, `removing backup ${meta.id} on ${this.t.name}`);
  }
}
