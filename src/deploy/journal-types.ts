/** The journal's records: releases, their replicas, rollbacks, migrations, maintenance (journal.ts reads and writes them). */
import type { CanaryStepRecord } from '../canary/types.js';
import type { CanaryConfig } from '../config/schema-progressive.js';
import type { HostState } from './fleet/rollout.js';

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
  /**
   * The steps and stickiness it started with (strategy.canary at its start): a promote goes on with these, whatever
   * its own config says.
   */
  plan?: { steps: Array<{ weight: number; pause: number | 'until-promoted' }>; sticky?: CanaryConfig['sticky'] };
  /** The header route it writes (strategy.canary.route at its start), so a later run moves it whatever its config. */
  route?: { header: string; file: string };
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
  /** The swarm driver: the Swarm service (`replicas` are its tasks then: task id, `<service>.<slot>`, host port). */
  swarm?: SwarmServiceRecord;
}

/** A Swarm service as a release left it (strategy.driver swarm). */
export interface SwarmServiceRecord {
  /** The service's id and name (`<app>-<env>-<service>`). */
  id: string;
  name: string;
  /** Its Version.Index once the release's update (or create) converged. */
  version: number;
  /** What its tasks run: `repo:tag@sha256:…`, or `repo:tag` for an image without a registry digest. */
  image: string;
  /** Its tasks then: slot, node, and the address nginx reaches each at (`127.0.0.1:<port>` on the manager's node). */
  tasks?: Array<{ id: string; slot: number; node: string; address: string }>;
}

export interface Release {
  id: string;
  version: string;
  status: ReleaseStatus;
  strategy: string;
  driver: 'engine' | 'compose' | 'swarm';
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
  /** A fleet (more than one host): where each host stood when the release ended (deploy/fleet/rollout.ts). */
  hosts?: Record<string, { state: HostState; error?: string; seconds?: number; abandoned?: boolean; lost?: boolean }>;
  /**
   * The deploy's `env` values in force for this release, by service then variable, over `services.<name>.env`: set by
   * its `env` input or carried from the release live before (until `env-reset`). Plain values, never secrets. A
   * rollback to this release gives new containers exactly these; the next deploy carries them on.
   */
  env?: Record<string, Record<string, string>>;
  /** What this release changed in those values against the release live before (none: omitted). */
  envChanges?: EnvChange[];
}

/**
 * One variable a release changed: its value before and after (an env override, else the config's `env`, as the
 * config read at the deploy); undefined: not set.
 */
export interface EnvChange {
  service: string;
  name: string;
  from?: string;
  to?: string;
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
