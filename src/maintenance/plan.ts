/**
 * Maintenance mode's decisions, pure: which service the upstream fronts, what `off` puts back on a target, and
 * whether the root pipeline wraps its migration and deploy in maintenance.
 */
import type { Config } from '../config/schema.js';
import type { MaintenanceRecord, Release } from '../deploy/journal.js';
import type { UpstreamServer } from '../proxy/upstream-file.js';

/** The service behind the nginx upstream: `strategy.proxy.nginx.service`, else the first in deploy order. */
export function frontedService(config: Config): string | undefined {
  const all = Object.keys(config.services ?? {});
  const order = [...(config.strategy.order ?? []), ...all.filter((s) => !config.strategy.order?.includes(s))];
  return config.strategy.proxy?.nginx.service ?? order[0];
}

/**
 * The upstream servers of `release`'s `service` on `target`, as the journal records them: servers of a site taken
 * over, and `127.0.0.1:<port>` of each replica — only those whose port is in `running`, when it is known (a replica
 * without its own port: the service's `port`, as compose recreate publishes it). Undefined without a release.
 */
export function releaseServers(
  release: Release | undefined,
  service: string,
  target: string,
  servicePort: number | undefined,
  running?: ReadonlySet<number>,
): UpstreamServer[] | undefined {
  if (!release) return undefined;
  const rec = release.services[service];
  if (!rec) return [];
  const taken = (rec.servers ?? [])
    .filter((s) => s.target === target)
    .map((s) => ({ address: s.address, params: s.params }));
  const replicas = rec.replicas.filter((r) => r.target === target);
  const own = replicas.flatMap((r) =>
    r.port === undefined || (running && !running.has(r.port)) ? [] : [{ address: `127.0.0.1:${r.port}` }],
  );
  const fixed =
    replicas.length > 0 && replicas.every((r) => r.port === undefined) && servicePort !== undefined
      ? [{ address: `127.0.0.1:${servicePort}` }]
      : [];
  return [...taken, ...own, ...fixed];
}

/** What `off` does to one target's upstream file. */
export type OffStep =
  /** Put the saved bytes back (undefined: remove the file, there was none). */
  | { kind: 'restore'; text: string | undefined; why: string }
  /** Set the primary servers, leaving the rest of the file as it is now. */
  | { kind: 'set'; servers: UpstreamServer[]; why: string }
  /** Nothing to point traffic at: the upstream stays on the maintenance page. */
  | { kind: 'refuse'; why: string };

/** What `offStep` decides from. */
export interface OffFacts {
  /** The upstream file saved by `on` (null: there was none; undefined: `on` did not reach this target). */
  saved: string | null | undefined;
  /** The primary servers of the saved file (placeholders excluded). */
  savedServers: readonly UpstreamServer[];
  /** The file is exactly what `on` made of the saved one (nobody edited it since). */
  untouched: boolean;
  /** The live release is the one that was live at `on` (or there was none then and is none now). */
  sameRelease: boolean;
  /** The live release's servers on this target that run (undefined: no live release). */
  live: readonly UpstreamServer[] | undefined;
}

/**
 * `off` on one target. With the release of `on` still live and its servers among the saved ones: the saved upstream
 * back (byte for byte, or only its server lines when the file was edited meanwhile). Else, when a deploy or rollback
 * ran during maintenance: the live release's running servers. Else the saved file; else refuse.
 */
export function offStep(f: OffFacts): OffStep {
  const saved = f.saved === null ? undefined : f.saved;
  const savedAddresses = new Set(f.savedServers.map((s) => s.address));
  const liveKept = f.live === undefined || f.live.every((s) => savedAddresses.has(s.address));
  if (f.saved !== undefined && f.sameRelease && liveKept) {
    if (f.untouched || f.savedServers.length === 0)
      return { kind: 'restore', text: saved, why: 'maintenance off: the upstream as it was before' };
    return {
      kind: 'set',
      servers: [...f.savedServers],
      why: 'maintenance off: the servers of before (the file was edited during maintenance; the edits are kept)',
    };
  }
  if (f.live !== undefined && f.live.length > 0) {
    return {
      kind: 'set',
      servers: [...f.live],
      why: 'maintenance off: the live release (deployed during maintenance)',
    };
  }
  if (f.saved !== undefined)
    return { kind: 'restore', text: saved, why: 'maintenance off: the upstream as it was before' };
  return {
    kind: 'refuse',
    why:
      f.live === undefined
        ? 'no release is live and the upstream before maintenance was not saved here'
        : 'no replica of the live release runs here',
  };
}

/** The root pipeline's `maintenance` input. */
export type WrapMode = 'auto' | 'always' | 'never';

/** Whether the pipeline wraps migrate → deploy in maintenance, and why (one line for the log). */
export function wrapDecision(o: {
  mode: WrapMode;
  /** strategy.proxy.nginx.maintenance is set. */
  configured: boolean;
  /** The pipeline runs a migration (database.migrate). */
  migrates: boolean;
  /** Destructive statements in the pending migration's SQL (undefined: its SQL could not be read). */
  destructive?: number;
}): { wrap: boolean; why: string } {
  if (o.mode === 'never') return { wrap: false, why: 'maintenance: never' };
  if (!o.configured)
    return { wrap: false, why: 'no maintenance page is configured (strategy.proxy.nginx.maintenance)' };
  if (o.mode === 'always') return { wrap: true, why: 'maintenance: always' };
  if (!o.migrates) return { wrap: false, why: 'no migration to wrap' };
  if (o.destructive === undefined)
    return {
      wrap: false,
      why: "the migration's SQL could not be read, so whether it is destructive is unknown: not wrapped (set maintenance: always to wrap it)",
    };
  return o.destructive > 0
    ? { wrap: true, why: `the migration has ${o.destructive} destructive statement(s)` }
    : { wrap: false, why: 'the migration has no destructive statement' };
}

/** The line a deploy logs when it runs during maintenance. */
export function maintenanceDeployNote(m: MaintenanceRecord): string {
  return `maintenance is on (since ${m.since}${m.actor ? ` by ${m.actor}` : ''}): the new release starts and is health-checked, but stays out of the upstream; traffic stays on the maintenance page (${m.address}) until "runbook maintenance off"`;
}
