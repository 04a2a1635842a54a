import { UserError } from '../core/errors.js';
import type { Transport } from '../transports/types.js';
import { readText, writeAtomic } from '../transports/files.js';

export type ReleaseStatus = 'in-progress' | 'live' | 'failed' | 'rolled-back' | 'superseded';

/** One container of a release on one target. */
export interface ReleaseReplica {
  target: string;
  id: string;
  name: string;
  port?: number;
}

export interface ServiceRelease {
  /** The image reference deployed (`repo:version`). */
  image: string;
  /** The image id (content digest) the containers ran: what rollback restores, whatever the tag says later. */
  imageId?: string;
  repoDigests?: string[];
  replicas: ReleaseReplica[];
}

export interface Release {
  id: string;
  version: string;
  status: ReleaseStatus;
  strategy: string;
  driver: 'engine' | 'compose';
  services: Record<string, ServiceRelease>;
  /** The release that was live when this one started. */
  previous?: string;
  composeHash?: string;
  gitSha?: string;
  actor?: string;
  runUrl?: string;
  startedAt: string;
  finishedAt?: string;
  error?: string;
  /** The verified backup taken before this release (the backup action's backup-id); retention never deletes it. */
  backupId?: string;
  /** Set on the release a rollback moved away from (from its start: an interrupted rollback is resumed). */
  rollback?: RollbackRecord;
}

/** A rollback away from a release: where to, what, by whom, and how it ended. */
export interface RollbackRecord {
  /** The release restored. */
  to: string;
  scope: string[];
  reason?: string;
  actor?: string;
  runUrl?: string;
  startedAt: string;
  finishedAt?: string;
  /** The schema revision the migration scope went back to. */
  revision?: string;
  /** The backup the database scope restored, and the safety backup taken just before. */
  restoredBackupId?: string;
  safetyBackupId?: string;
  error?: string;
}

/** One run of the migrate action: what rollback needs to go back (`revisionBefore`). */
export interface MigrationRecord {
  id: string;
  tool: string;
  status: 'in-progress' | 'applied' | 'failed' | 'rolled-back';
  revisionBefore: string;
  revisionAfter?: string;
  /** The verified backup taken before it. */
  backupId?: string;
  actor?: string;
  runUrl?: string;
  startedAt: string;
  finishedAt?: string;
  error?: string;
}

export interface Journal {
  format: 1;
  app: string;
  environment: string;
  releases: Release[];
  migrations?: MigrationRecord[];
}

/** How many releases the journal remembers (containers and images follow `keep-releases`). */
const MAX_RELEASES = 50;

/** Where an environment's journal and lock live on its primary target. */
export function stateDirs(stateDir: string, environment: string): { dir: string; journal: string; lock: string } {
  const dir = `${stateDir}/${environment}`;
  return { dir, journal: `${dir}/journal.json`, lock: `${dir}/lock` };
}

/** Release ids sort by time: `20261123T131500Z-v2`. */
export function newReleaseId(now: Date, version: string): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${version}`.slice(0, 100);
}

/** The journal file on the primary target. Read-modify-write happens under the deploy lock. */
export class JournalStore {
  constructor(
    private readonly t: Transport,
    private readonly path: string,
    private readonly app: string,
    private readonly environment: string,
  ) {}

  async read(): Promise<Journal> {
    const text = await readText(this.t, this.path);
    if (text === undefined) return { format: 1, app: this.app, environment: this.environment, releases: [] };
    try {
      const j = JSON.parse(text) as Journal;
      if (j.format !== 1 || !Array.isArray(j.releases)) throw new Error('unknown format');
      return j;
    } catch (err) {
      throw new UserError(`the journal ${this.path} on ${this.t.name} is unreadable (${(err as Error).message})`);
    }
  }

  /** Apply `change` to the current journal and write it back atomically. */
  async update(change: (j: Journal) => void): Promise<Journal> {
    const j = await this.read();
    change(j);
    j.releases = j.releases.slice(-MAX_RELEASES);
    await writeAtomic(this.t, this.path, `${JSON.stringify(j, null, 2)}\n`);
    return j;
  }

  async upsert(release: Release): Promise<Journal> {
    return this.update((j) => {
      const i = j.releases.findIndex((r) => r.id === release.id);
      if (i >= 0) j.releases[i] = release;
      else j.releases.push(release);
    });
  }
}

export function liveRelease(j: Journal): Release | undefined {
  return j.releases.findLast((r) => r.status === 'live');
}
