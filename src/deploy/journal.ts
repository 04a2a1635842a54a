import { UserError } from '../core/errors.js';
import { readText, writeAtomic } from '../transports/files.js';
import type { Transport } from '../transports/types.js';

import type {
  Journal,
  MaintenanceRecord,
  MigrationRecord,
  Release,
  ReleaseReplica,
  RollbackRecord,
  ServiceRelease,
  SwarmServiceRecord,
} from './journal-types.js';

export type {
  CanaryState,
  EnvChange,
  Journal,
  MaintenanceRecord,
  MigrationRecord,
  Release,
  ReleaseReplica,
  ReleaseStatus,
  RollbackRecord,
  ServiceRelease,
  Slot,
  SwarmServiceRecord,
} from './journal-types.js';

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

/**
 * Maintenance mode, when it is on: traffic stays on the maintenance page, so a deploy keeps its replicas out of the
 * upstream (and strategies that move traffic refuse) until `runbook maintenance off`.
 */
export function maintenanceOn(j: Pick<Journal, 'maintenance'>): MaintenanceRecord | undefined {
  return j.maintenance;
}

/**
 * The canary serving its share beside the live release, if any: paused until promoted (status canary), or one whose
 * run is under way — or died mid-step, which a run holding the lock knows it did (status in-progress, steps running).
 */
export function openCanary(j: Journal): Release | undefined {
  const last = j.releases.findLast((r) => r.status === 'canary' || (r.status === 'in-progress' && r.canary));
  return last?.canary && (last.canary.state === 'paused' || last.canary.state === 'running') ? last : undefined;
}

/** How many migration records the journal remembers. */
const MAX_MIGRATIONS = 50;

/** Why a release a dead run left in progress is marked failed. */
export const INTERRUPTED = 'interrupted: the run that deployed it ended without finishing (killed or lost)';

/**
 * Mark releases left `in-progress` as failed: called under the deploy lock, so no live run owns them (their run was
 * killed or lost). Returns the releases it marked.
 */
export function sweepInterrupted(j: Journal): Release[] {
  const swept = j.releases.filter((r) => r.status === 'in-progress');
  for (const r of swept) {
    r.status = 'failed';
    r.error = INTERRUPTED;
  }
  return swept;
}

/** Insert or replace a migration record by id; the newest MAX_MIGRATIONS are kept. */
export function putMigration(j: Journal, record: MigrationRecord): void {
  j.migrations = [...(j.migrations ?? []).filter((m) => m.id !== record.id), record].slice(-MAX_MIGRATIONS);
}

/**
 * Start a rollback away from release `fromId`: a record left by an earlier attempt towards the same release is kept
 * (the rollback resumes it); one towards another release is replaced.
 */
export function beginRollback(j: Journal, fromId: string | undefined, record: RollbackRecord): void {
  const from = fromId === undefined ? undefined : j.releases.find((r) => r.id === fromId);
  if (from && (!from.rollback || from.rollback.to !== record.to)) from.rollback = record;
}

/** How a rollback ended, for `finishRollback`. */
export interface RollbackOutcome {
  to: string;
  from?: string;
  /** The migrations the rollback undid (by id). */
  undone: readonly string[];
  scope: readonly string[];
  backupId?: string;
  revision?: string;
  safetyBackupId?: string;
  error?: string;
  /** The replicas serving `to` now, by service (new containers may have replaced the kept ones). */
  replicas?: Record<string, ReleaseReplica[]>;
  /** The swarm driver: each Swarm service of `to` as the rollback left it (its version and tasks now), by service. */
  swarm?: Record<string, SwarmServiceRecord>;
  /** ISO time it ended. */
  at: string;
}

/**
 * Record how a rollback ended: on the record of `from` (finished or the error, the revision, the backups), and when
 * it succeeded, `to` live again (its replicas and Swarm services as they run now), `from` rolled back, undone
 * migrations marked.
 */
export function finishRollback(j: Journal, o: RollbackOutcome): void {
  const moved = o.scope.includes('image') || o.scope.includes('traffic');
  const rb = o.from === undefined ? undefined : j.releases.find((r) => r.id === o.from)?.rollback;
  if (rb) {
    if (o.error) rb.error = o.error;
    else {
      rb.finishedAt = o.at;
      delete rb.error;
    }
    if (o.revision !== undefined) rb.revision = o.revision;
    if (o.scope.includes('database') && !o.error) rb.restoredBackupId = o.backupId;
    if (o.safetyBackupId) rb.safetyBackupId = o.safetyBackupId;
  }
  if (o.error) return;
  if (moved) {
    const to = j.releases.find((r) => r.id === o.to);
    for (const [name, replicas] of Object.entries(o.replicas ?? {})) {
      const svc = to?.services[name];
      if (svc && replicas.length > 0) svc.replicas = replicas;
    }
    for (const [name, record] of Object.entries(o.swarm ?? {})) {
      const svc = to?.services[name];
      if (svc) svc.swarm = record;
    }
    for (const r of j.releases) {
      if (r.id === o.to) r.status = 'live';
      else if (r.status === 'live') r.status = r.id === o.from ? 'rolled-back' : 'superseded';
    }
  }
  if (o.revision !== undefined || o.scope.includes('database')) {
    const undone = new Set(o.undone);
    for (const m of j.migrations ?? []) if (undone.has(m.id)) m.status = 'rolled-back';
  }
}

/** The version name of a release recorded for a site taken over (what served before the first deploy). */
export const ADOPTED_VERSION = 'adopted';

/**
 * The release that stands for a site taken over: the servers that served each service before `first`, superseded
 * by it. Its id sorts just before `first`'s. Rollback to it puts those servers back in the upstream.
 */
export function adoptedRelease(
  first: Release,
  servers: Record<string, Array<{ target: string; address: string; params: string[] }>>,
): Release {
  const services: Record<string, ServiceRelease> = {};
  for (const [name, list] of Object.entries(servers)) {
    services[name] = { image: '(not deployed by runbook-actions)', replicas: [], servers: list };
  }
  return {
    id: `${first.id.split('-')[0]}-${ADOPTED_VERSION}`,
    version: ADOPTED_VERSION,
    status: 'superseded',
    strategy: 'adopted',
    driver: first.driver,
    origin: 'adopted',
    services,
    startedAt: first.startedAt,
    finishedAt: first.startedAt,
  };
}

/** Mark `release` live and the release live before it superseded. */
export function markLive(j: Journal, release: Release): void {
  for (const r of j.releases) if (r.status === 'live') r.status = 'superseded';
  const i = j.releases.findIndex((r) => r.id === release.id);
  if (i >= 0) j.releases[i] = release;
  else j.releases.push(release);
}
