/**
 * The canary's containers during a step: a replica that stopped, or that its restart policy brought back (a version
 * that crashes every minute), fails the step even when nginx's retries hid it from the access log — a canary the
 * engine had to restart is never promoted. Read through the Engine API (State.Running, State.StartedAt, RestartCount).
 */
import { gateNow } from '../engine/replicas.js';
import type { CanarySite } from './site.js';

interface Seen {
  startedAt: string;
  restartCount: number;
}

/** The canary replicas as a step began; `changes()` lists what happened to them since, one sentence each. */
export class CanaryLiveness {
  private readonly baseline = new Map<string, Seen>();

  constructor(private readonly sites: readonly CanarySite[]) {}

  /** Record each replica's start time and restart count (call as the step begins). */
  async start(): Promise<void> {
    for (const s of this.sites) {
      for (const r of s.canary) {
        const info = await s.d.docker.inspectContainer(r.id);
        this.baseline.set(r.id, { startedAt: info.state.startedAt, restartCount: info.restartCount });
      }
    }
  }

  /**
   * Before traffic moves to the canary (each step's weight, a promote after a pause): every replica running, and
   * passing the service's health gate at once (no stable period). Returns what is wrong, one sentence each.
   */
  async unfit(): Promise<string[]> {
    const out: string[] = [];
    for (const s of this.sites) {
      for (const r of s.canary) {
        const info = await s.d.docker.inspectContainer(r.id).catch(() => undefined);
        const where = `${s.d.target.name}/${s.d.name} canary ${r.name}`;
        if (!info) out.push(`${where} is gone`);
        else if (!info.state.running) out.push(`${where} is not running (exit ${info.state.exitCode})`);
      }
      if (out.length > 0) continue;
      await gateNow(s.d, s.canary).catch((err: Error) =>
        out.push(`${s.d.target.name}/${s.d.name} canary: ${err.message}`),
      );
    }
    return out;
  }

  /** Replicas that stopped or restarted since start(): `web1/api canary shop-…-0 restarted (exit 3) during the step`. */
  async changes(): Promise<string[]> {
    const out: string[] = [];
    for (const s of this.sites) {
      for (const r of s.canary) {
        const was = this.baseline.get(r.id);
        const info = await s.d.docker.inspectContainer(r.id).catch(() => undefined);
        const where = `${s.d.target.name}/${s.d.name} canary ${r.name}`;
        if (!info) out.push(`${where} is gone`);
        else if (!info.state.running) out.push(`${where} stopped (exit ${info.state.exitCode})`);
        else if (was && (info.state.startedAt !== was.startedAt || info.restartCount > was.restartCount)) {
          out.push(
            `${where} restarted during the step (last exit ${info.state.exitCode}, ${info.restartCount} restart(s))`,
          );
        }
      }
    }
    return out;
  }
}
