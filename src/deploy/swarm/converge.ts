/**
 * The convergence reader: from a service and its tasks as the Engine API shows them, where an update (or a create, or
 * a rollback) stands — pure, so every state Swarm reports is unit tested. A deploy is converged when every task Swarm
 * wants running is of the release and running (healthy: with a health check Swarm says running only once it is), as
 * many as the replicas, and Swarm's update of it completed (its monitor window over).
 */
import type { SwarmService, SwarmTask } from '../../docker/swarm-types.js';
import { LABEL } from '../engine/labels.js';
import { taskPort } from './ports.js';

/** What the deploy asked Swarm for: a new service, an update of its spec, or a rollback to its previous spec. */
export type SwarmChange = 'create' | 'update' | 'rollback';

/** One task as the driver sees it: its slot, release and host port. */
export interface TaskView {
  id: string;
  slot: number;
  /** The node it runs on ('' until Swarm assigns one). */
  node: string;
  release: string;
  port?: number;
  state: string;
  desiredState: string;
  containerId: string;
  err: string;
  message: string;
  exitCode: number;
  timestamp: string;
}

export function taskView(t: SwarmTask): TaskView {
  return {
    id: t.id,
    slot: t.slot,
    node: t.nodeId,
    release: t.labels[LABEL.release] ?? '',
    port: taskPort(t.labels, t.slot),
    state: t.state,
    desiredState: t.desiredState,
    containerId: t.containerId,
    err: t.err,
    message: t.message,
    exitCode: t.exitCode,
    timestamp: t.timestamp,
  };
}

/**
 * converging: on its way; converged: done; rolling-back / rolled-back: Swarm's automatic rollback of a failed update
 * (or of a change the toolkit asked it to undo); paused: Swarm stopped the update (failure-action pause) or the
 * rollback.
 */
export type Phase = 'converging' | 'converged' | 'rolling-back' | 'rolled-back' | 'paused';

export interface Convergence {
  phase: Phase;
  /** Tasks Swarm should run (the service's replicas). */
  desired: number;
  /** The release's tasks Swarm wants running, by slot. */
  wanted: TaskView[];
  /** Of those, the ones running (and so healthy, when the image or spec has a health check). */
  running: TaskView[];
  /** Tasks of other releases still running or wanted running (the old ones of an update). */
  others: TaskView[];
  /** Swarm's UpdateStatus when it belongs to this change (an older one is not), else undefined. */
  update?: { state: string; message: string };
  /** A task whose failure Swarm named (`… termination of task <id>`), or the release's last failed task. */
  failed?: TaskView;
}

const ALIVE = new Set(['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running']);
const FAILED = new Set(['failed', 'rejected', 'complete', 'shutdown', 'orphaned']);

/** Is this task running or on its way to it, and still wanted? */
export function alive(t: TaskView): boolean {
  return t.desiredState === 'running' && ALIVE.has(t.state);
}

/**
 * Where `service` stands for release `release`. `change`: what the deploy asked for; `before`: the StartedAt of the
 * UpdateStatus read before the change (an UpdateStatus with that start is an older update's, not this one's).
 */
export function readConvergence(
  service: SwarmService,
  tasks: readonly SwarmTask[],
  release: string,
  change: SwarmChange,
  before: string | undefined,
): Convergence {
  const views = tasks.map(taskView);
  const desired = service.spec.Mode?.Replicated?.Replicas ?? 0;
  const wanted = views.filter((t) => t.release === release && alive(t)).sort((a, b) => a.slot - b.slot);
  const running = wanted.filter((t) => t.state === 'running');
  const others = views.filter((t) => t.release !== release && (alive(t) || t.state === 'running'));
  const status = service.updateStatus;
  const update = status && status.startedAt !== before ? { state: status.state, message: status.message } : undefined;
  const named = /task ([a-z0-9]{25})/.exec(update?.message ?? '')?.[1];
  const failedOfRelease = views
    .filter((t) => t.release === release && FAILED.has(t.state) && t.desiredState !== 'running')
    .sort((a, b) => b.timestamp.localeCompare(a.timestamp))[0];
  const failed = views.find((t) => t.id === named) ?? failedOfRelease;
  const settled = running.length === desired && wanted.length === desired && others.length === 0;
  let phase: Phase = 'converging';
  switch (update?.state) {
    case 'paused':
    case 'rollback_paused':
      phase = 'paused';
      break;
    case 'rollback_started':
      phase = change === 'rollback' ? 'converging' : 'rolling-back';
      break;
    case 'rollback_completed':
      phase = change === 'rollback' ? (settled ? 'converged' : 'converging') : 'rolled-back';
      break;
    case 'completed':
      phase = change !== 'rollback' && settled ? 'converged' : 'converging';
      break;
    case undefined:
      // A new service has no update to wait for; an update or rollback is not started until Swarm says so.
      phase = change === 'create' && settled ? 'converged' : 'converging';
      break;
    default:
      phase = 'converging';
  }
  return {
    phase,
    desired,
    wanted,
    running,
    others,
    ...(update ? { update } : {}),
    ...(failed ? { failed } : {}),
  };
}

/** `2/3 tasks of r2 running, 1 of an older release; update: updating (update in progress)` — a progress line's body. */
export function progressText(c: Convergence, release: string): string {
  const older = c.others.length > 0 ? `, ${c.others.length} of an older release` : '';
  const update = c.update
    ? `; ${c.update.state.replace('_', ' ')}${c.update.message ? ` (${c.update.message})` : ''}`
    : '';
  return `${c.running.length}/${c.desired} tasks of ${release} running${older}${update}`;
}

/** What happened to a failed task, in a few words: `task abc123 (slot 1) complete: finished, exit 0`. */
export function describeTask(t: TaskView): string {
  const why = [t.err, t.message].filter((x) => x !== '').join(': ');
  return `task ${t.id.slice(0, 12)} (slot ${t.slot}${t.port === undefined ? '' : `, port ${t.port}`}) ${t.state}${why ? `: ${why}` : ''}, exit ${t.exitCode}`;
}

/** Where nginx and the gate reach a task: 127.0.0.1 on the manager's node, the node's address on another one. */
export function taskHost(t: TaskView, localNode: string, nodes: ReadonlyMap<string, string>): string | undefined {
  if (t.node === '' || t.node === localNode) return '127.0.0.1';
  return nodes.get(t.node) || undefined;
}
