/**
 * Which servers the nginx upstream holds while a Swarm service converges, from where the service stands: pure, so
 * watch.ts only writes what this decides. A task joins once past the toolkit's gate; a task Swarm stops or wants
 * stopped leaves, but never the last server; servers the toolkit did not start leave once the release serves in full.
 */
import type { UpstreamServer } from '../../proxy/upstream-file.js';
import type { Convergence, TaskView } from './converge.js';

/** What the upstream holds, by address: the server line (a task's, or one the toolkit did not start). */
export type Served = Map<string, UpstreamServer & { task?: string }>;

/** The upstream to write: its servers by address, and the addresses it adds and drains. */
export interface UpstreamChange {
  next: Served;
  added: string[];
  removed: string[];
}

export interface FollowState {
  /** Tasks that passed the toolkit's gate (or served already), by id. */
  ready: ReadonlySet<string>;
  /** Where nginx reaches a task (`host:port`); undefined: not reachable (yet). */
  addressOf: (t: TaskView) => string | undefined;
  /** The release whose tasks must serve. */
  target: string;
  /** The release serves in full: whatever else is left goes. */
  final: boolean;
}

/**
 * Bring the upstream to the tasks that should serve now: the release's ready tasks, the other releases' tasks while
 * Swarm runs and wants them, servers the toolkit did not start until the release serves in full (`final`). Never
 * writes an upstream without a server. Undefined: nothing to write.
 */
export function nextUpstream(
  served: ReadonlyMap<string, UpstreamServer & { task?: string }>,
  c: Pick<Convergence, 'running'>,
  tasks: readonly TaskView[],
  s: FollowState,
): UpstreamChange | undefined {
  const byAddress = new Map<string, TaskView[]>();
  for (const t of tasks) {
    const a = s.addressOf(t);
    if (a !== undefined) byAddress.set(a, [...(byAddress.get(a) ?? []), t]);
  }
  const next: Served = new Map();
  for (const t of c.running) {
    const a = s.addressOf(t);
    if (a !== undefined && s.ready.has(t.id)) next.set(a, { address: a, task: t.id });
  }
  const fresh = next.size;
  for (const [address, entry] of served) {
    if (next.has(address)) continue;
    const at = byAddress.get(address);
    if (at) {
      const live = at.some((x) => x.release !== s.target && x.state === 'running' && x.desiredState === 'running');
      if (live && !s.final) next.set(address, entry);
      continue;
    }
    if (!(s.final && fresh > 0)) next.set(address, entry);
  }
  if (next.size === 0) return undefined;
  const added = [...next.keys()].filter((a) => !served.has(a));
  const removed = [...served.keys()].filter((a) => !next.has(a));
  if (added.length === 0 && removed.length === 0) return undefined;
  return { next, added, removed };
}
