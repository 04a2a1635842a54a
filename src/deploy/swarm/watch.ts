/**
 * Waiting for a Swarm service to converge while nginx follows its tasks. Every half second the service and its tasks
 * are read (converge.ts); a task of the release that Swarm reports running is judged by the toolkit's health gate
 * (the service's health config, from the target) and only then added to the upstream; a task Swarm stops or wants
 * stopped leaves the upstream, but never the last server that still answers — nginx retries a request that meets a
 * stopped task on the next server, so with two or more replicas no request fails. Once converged, whatever else is
 * left in the upstream (a site taken over, tasks of an older release) is drained.
 *
 * A failed update — Swarm's automatic rollback, a task the toolkit's gate refuses (the toolkit then asks Swarm to
 * roll back), the converge-timeout or a cancel (both ask Swarm to roll back too) — is followed until the previous
 * spec's tasks serve again, the upstream on them, and then thrown as a SwarmUpdateError naming the task and why.
 * With failure-action pause, Swarm stops where it is: the error says so and the upstream keeps the tasks that answer.
 */
import { CancelledError, errorMessage, UserError } from '../../core/errors.js';
import type { SwarmService, SwarmTask } from '../../docker/swarm-types.js';
import { isPlaceholder } from '../../proxy/upstream-file.js';
import { HealthGateError, waitHealthy } from '../health.js';
import type { ServiceSite } from '../types.js';
import type { SwarmEngine } from './api.js';
import {
  alive,
  type Convergence,
  describeTask,
  progressText,
  readConvergence,
  type SwarmChange,
  type TaskView,
  taskHost,
  taskView,
} from './converge.js';
import { subjectOf, taskHealth } from './task-gate.js';
import { nextUpstream, type Served } from './upstream-follow.js';

const POLL_MS = 500;
const PROGRESS_MS = 5000;

/** A failed update or rollback of a Swarm service, after the service went back (or stopped: paused). */
export class SwarmUpdateError extends UserError {
  override name = 'SwarmUpdateError';
}

export interface WatchSite extends ServiceSite {
  api: SwarmEngine;
  serviceId: string;
  /** `<app>-<env>-<service>`, for messages. */
  serviceName: string;
  /** The manager's own node (GET /info NodeID): its tasks are reached on 127.0.0.1, other nodes' at their address. */
  localNode: string;
}

export interface WatchRequest {
  /** The release whose tasks must serve. */
  release: string;
  change: SwarmChange;
  /** StartedAt of the UpdateStatus before the change (an UpdateStatus that started then is an older one). */
  before?: string;
  /** The release of the spec before the change: where Swarm's rollback goes back to. */
  fallback?: string;
  timeoutMs: number;
}

export interface Converged {
  service: SwarmService;
  tasks: TaskView[];
  /** Where each task is reached (`host:port`), by task id. */
  addresses: Record<string, string>;
}

export async function watchConvergence(w: WatchSite, req: WatchRequest): Promise<Converged> {
  const log = w.log;
  const started = w.clock.now().getTime();
  const elapsed = () => `${((w.clock.now().getTime() - started) / 1000).toFixed(0)}s`;
  const served: Served = new Map();
  if (w.proxy) {
    const { file } = await w.proxy.read();
    for (const s of file.servers) if (!isPlaceholder(s)) served.set(s.address, { ...s });
  }
  /** Tasks that passed the toolkit's gate (or served already), and the gates still running. */
  const ready = new Set<string>();
  const gating = new Map<string, Promise<void>>();
  /** Ends the gates still running when the watch ends. */
  const watchEnd = new AbortController();
  const gateSignal = w.signal ? AbortSignal.any([w.signal, watchEnd.signal]) : watchEnd.signal;
  /** The last health check output seen per task while it started (it explains a task Swarm gave up on). */
  const health = new Map<string, string>();
  let gateFailure: string | undefined;
  let target = req.release;
  let change = req.change;
  /** Why the change failed, once it has: the service is then followed back to `req.fallback`. */
  let failure: string | undefined;
  let askedBack = false;
  let lastLine = '';
  let lastLineAt = 0;
  const deadline = started + req.timeoutMs;
  let rescueDeadline = 0;

  const askRollback = async (why: string): Promise<void> => {
    failure ??= why;
    if (askedBack || change === 'create') return;
    askedBack = true;
    const svc = await w.api.inspectService(w.serviceId);
    if (!svc) return;
    const st = svc.updateStatus?.state;
    if (st === 'rollback_started' || st === 'rollback_completed' || !svc.previousSpec) return;
    log.warn(`swarm ${w.serviceName}: asking Swarm to roll back to the previous spec (${why})`);
    await w.api.updateService(svc.id, svc.version, svc.spec, { rollback: true });
  };

  /** The nodes' addresses (GET /nodes), read when a task runs on a node not known yet. */
  const nodes = new Map<string, string>();
  /** Each task as Swarm last reported it (what a gate on another node's task judges). */
  const latest = new Map<string, TaskView>();
  const addressOf = (t: TaskView): string | undefined => {
    const host = taskHost(t, w.localNode, nodes);
    return host === undefined || t.port === undefined ? undefined : `${host}:${t.port}`;
  };

  const startGate = (t: TaskView): void => {
    const host = taskHost(t, w.localNode, nodes);
    if (host === undefined) return;
    const p = waitHealthy(
      { transport: w.target.transport, clock: w.clock, log, signal: gateSignal },
      taskHealth(w.service.health),
      subjectOf(w, t, host, () => latest.get(t.id)),
    )
      .then(() => {
        ready.add(t.id);
      })
      .catch(async (err: unknown) => {
        if (gateSignal.aborted) return;
        // A task Swarm itself stopped meanwhile (its rollback, a replaced task) is no verdict on the release.
        const still = (await w.api.listTasks(w.serviceId).catch(() => [] as SwarmTask[]))
          .map(taskView)
          .find((x) => x.id === t.id);
        if (!still || !alive(still)) return;
        gateFailure ??=
          err instanceof HealthGateError
            ? err.message
            : `the health gate of task ${t.id.slice(0, 12)} failed: ${errorMessage(err)}`;
      })
      .finally(() => gating.delete(t.id));
    gating.set(t.id, p);
  };

  /** Bring the upstream to the tasks that should serve now (upstream-follow.ts); drain what left it once final. */
  const follow = async (c: Convergence, tasks: readonly TaskView[], final: boolean): Promise<void> => {
    if (!w.proxy) return;
    const change = nextUpstream(served, c, tasks, { ready, addressOf, target, final });
    if (!change) return;
    const { next, added, removed } = change;
    const why = [
      added.length > 0 ? `add ${added.join(', ')}` : '',
      removed.length > 0 ? `drain ${removed.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    await w.proxy.set(
      [...next.values()].map(({ task: _task, ...server }) => server),
      `${w.serviceName}: ${why}`,
    );
    served.clear();
    for (const [a, e] of next) served.set(a, e);
    if (removed.length > 0 && final) await w.clock.sleep(w.config.strategy.drain);
  };

  try {
    return await loop();
  } finally {
    watchEnd.abort();
  }

  async function loop(): Promise<Converged> {
    for (;;) {
      const service = await w.api.inspectService(w.serviceId);
      if (!service) throw new UserError(`swarm service ${w.serviceName} (${w.serviceId}) is gone`);
      const raw = await w.api.listTasks(w.serviceId);
      const tasks = raw.map(taskView);
      for (const t of tasks) latest.set(t.id, t);
      if (tasks.some((t) => t.node !== '' && t.node !== w.localNode && !nodes.has(t.node))) {
        for (const n of await w.api.listNodes()) nodes.set(n.id, n.addr);
      }
      let c = readConvergence(service, raw, target, change, req.before);

      // Swarm went back (its failure action, or ours): from here the previous spec's tasks must serve.
      if ((c.phase === 'rolling-back' || c.phase === 'rolled-back') && failure === undefined) {
        const named = c.failed ? `; ${describeTask(c.failed)}${healthNote(health, c.failed)}` : '';
        failure = `Swarm rolled the update of ${w.serviceName} back: ${c.update?.message ?? 'rollback'}${named}`;
      }
      if (failure !== undefined && target === req.release && req.fallback !== undefined) {
        log.warn(`swarm ${w.serviceName}: ${failure}`);
        log.info(`swarm ${w.serviceName}: following Swarm back to release ${req.fallback}`);
        target = req.fallback;
        change = 'rollback';
        rescueDeadline = w.clock.now().getTime() + req.timeoutMs;
        c = readConvergence(service, raw, target, change, req.before);
      }
      if (c.phase === 'paused') {
        const named = c.failed ? `; ${describeTask(c.failed)}${healthNote(health, c.failed)}` : '';
        throw new SwarmUpdateError(
          `${failure ?? `Swarm paused the update of ${w.serviceName}`}: ${c.update?.message ?? 'paused'}${named}; the service runs as Swarm left it (strategy.swarm.failure-action is pause): \`runbook rollback\`, or deploy again`,
        );
      }

      // A task of the release that already serves (it did before this change, or Swarm went back to it) is ready.
      for (const t of c.running) if (served.has(addressOf(t) ?? '')) ready.add(t.id);
      for (const t of c.wanted) {
        if (t.state === 'running' && !ready.has(t.id) && !gating.has(t.id)) startGate(t);
        if (t.state === 'starting' && t.containerId && (t.node === '' || t.node === w.localNode)) {
          const info = await w.api.inspectContainer(t.containerId).catch(() => undefined);
          const last = info?.state.health?.log.at(-1);
          if (info?.state.health) {
            health.set(t.id, `${info.state.health.status}${last?.output ? `, last probe: ${last.output.trim()}` : ''}`);
          }
        }
      }
      const line = `${progressText(c, target)}; ${[...served.keys()].length} in the upstream`;
      const now = w.clock.now().getTime();
      if (line !== lastLine || now - lastLineAt >= PROGRESS_MS) {
        log.info(`swarm ${w.serviceName}: ${line} [${elapsed()}]`);
        lastLine = line;
        lastLineAt = now;
      }

      const done = c.phase === 'converged' && c.running.every((t) => ready.has(t.id));
      await follow(c, tasks, done);
      if (done) {
        if (failure !== undefined) {
          throw new SwarmUpdateError(`${failure}; release ${target} serves again`);
        }
        const addresses = Object.fromEntries(
          c.running.flatMap((t) => {
            const a = addressOf(t);
            return a === undefined ? [] : [[t.id, a]];
          }),
        );
        return { service, tasks: c.running, addresses };
      }
      if (gateFailure !== undefined && failure === undefined) {
        const why = gateFailure;
        if (change === 'create') throw new SwarmUpdateError(`${w.serviceName}: ${why}`);
        await askRollback(why);
      }
      if (w.signal?.aborted && failure === undefined) {
        if (change === 'create') throw new CancelledError(`deploy of ${w.serviceName} cancelled`);
        await askRollback(`the deploy was cancelled: ${errorMessage(w.signal.reason)}`);
      }
      if (failure === undefined && now >= deadline) {
        const why = `not converged within ${req.timeoutMs / 1000}s (strategy.swarm.converge-timeout): ${progressText(c, target)}`;
        if (change === 'create' || req.fallback === undefined) throw new SwarmUpdateError(`${w.serviceName}: ${why}`);
        await askRollback(why);
      }
      if (rescueDeadline > 0 && now >= rescueDeadline) {
        throw new SwarmUpdateError(
          `${failure}; and the service did not get back to release ${target} within ${req.timeoutMs / 1000}s either (${progressText(c, target)})`,
        );
      }
      // Sleeping past a cancel: the service must still be followed back before the run ends.
      await w.clock.sleep(POLL_MS);
    }
  }
}

function healthNote(health: ReadonlyMap<string, string>, t: TaskView): string {
  const h = health.get(t.id);
  return h ? `; its health check: ${h}` : '';
}
