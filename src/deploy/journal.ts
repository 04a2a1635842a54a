import type { CanaryStepRecord } from '../canary/types.js';
import { UserError } from '../core/errors.js';
import { readText, writeAtomic } from '../transports/files.js';
import type { Transport } from '../transports/types.js';

/**
 * `canary`: a canary paused at a step (until-promoted): it serves its share beside the live release, which stays the
 * live one until `runbook promote` finishes it.
 */
export type ReleaseStatus = 'in-progress' | 'live' | 'failed' | 'rolled-back' | 'superseded' | 'canary';

/** blue-green's two slots: the new release goes to the one the live release does not hold. */
export type Slot = 'blue' | 'green';

/** A canary's progress, kept on its release: where it stands, each step's figures, what the upstream was before. */
export interface CanaryState {
  /** running: steps in progress; paused: held at `step` until promoted; promoted / aborted: done. */
  state: 'running' | 'paused' | 'promoted' | 'aborted';
  /** Index of the current (or last) step in strategy.canary.steps; -1 before the first. */
  step: number;
  /** The canary's share of traffic now (%). */
  weight: number;
  /** The fronted service the weights apply to. */
  service: string;
  steps: CanaryStepRecord[];
  /** The upstream file of each target before the canary (null: none): an abort puts these bytes back. */
  upstreamBefore: Record<string, string | null>;
  /** Servers (per target) that served before the canary: the stable version's, judged beside the canary's. */
  stable: Record<string, string[]>;
  /** Why it was aborted. */
  reason?: string;
}

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
  /**
   * Upstream servers that served it which the toolkit did not start, by target, as written in the upstream file: a
   * release `adopted` from a site taken over. Rollback to it puts them back.
   */
  servers?: Array<{ target: string; address: string; params: string[] }>;
}

export interface Release {
  id: string;
  version: string;
  status: ReleaseStatus;
  strategy: string;
  driver: 'engine' | 'compose';
  /** `adopted`: not deployed by the toolkit; what served before the first deploy took the site over. */
  origin?: 'adopted';
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
  /** blue-green: the slot this release runs in. */
  slot?: Slot;
  /**
   * blue-green: the release left running out of traffic (the other slot) for an instant switch back (rollback scope
   * traffic), and until when; a later deploy stops it once that time has passed.
   */
  standby?: { release: string; until: string };
  /** canary: the steps and where they stand. */
  canary?: CanaryState;
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
  /** `cancelled`: the run was cancelled, the tool's sessions ended and the schema is unchanged. */
  status: 'in-progress' | 'applied' | 'failed' | 'cancelled' | 'rolled-back';
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

/**
 * Maintenance mode while it is on (`runbook maintenance on`): who began it, where the upstream points, and what `off`
 * puts back. Removed by `off`.
 */
export interface MaintenanceRecord {
  /** ISO time it began. */
  since: string;
  actor?: string;
  runUrl?: string;
  reason?: string;
  /** The release live when it began: `off` puts the saved upstream back only while that one is still live. */
  liveRelease?: string;
  /** Where the upstream points: the maintenance server (`127.0.0.1:8099`, `unix:/run/maint.sock`). */
  address: string;
  /** The maintenance file the toolkit wrote the page into (`maintenance.file`), put back by `off`. */
  file?: string;
  /**
   * By target name: the upstream file before (null: there was none) and, for a page the toolkit writes, the
   * maintenance file before (null: there was none).
   */
  targets: Record<string, { upstream: string | null; page?: string | null }>;
}

export interface Journal {
  format: 1;
  app: string;
  environment: string;
  releases: Release[];
  migrations?: MigrationRecord[];
  maintenance?: MaintenanceRecord;
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

/**
 * Maintenance mode, when it is on: traffic stays on the maintenance page, so a deploy keeps its replicas out of the
 * upstream (and strategies that move traffic refuse) until `runbook maintenance off`.
 */
export function maintenanceOn(j: Pick<Journal, 'maintenance'>): MaintenanceRecord | undefined {
  return j.maintenance;
}

/** The canary paused or running beside the live release, if any (the newest release with status canary). */
export function openCanary(j: Journal): Release | undefined {
  const last = j.releases.findLast((r) => r.status === 'canary');
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
  /** ISO time it ended. */
  at: string;
}

/**
 * Record how a rollback ended: on the record of `from` (finished or the error, the revision, the backups), and when
 * it succeeded, `to` live again (its replicas as they run now), `from` rolled back, undone migrations marked.
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
