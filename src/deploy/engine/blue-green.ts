/**
 * Blue-green for one service behind nginx: two slots. The new release starts in the slot the live one does not hold
 * (what ran there before — an older standby — is stopped first, kept), passes the health gate and its smoke checks on
 * its own ports, then the upstream switches to it in one reload and the switch is verified through nginx. The old
 * slot keeps running, out of traffic, as the standby an instant `rollback` (scope traffic) switches back to.
 */

import type { SwitchEvent } from '../../canary/types.js';
import { CancelledError, UserError } from '../../core/errors.js';
import { httpClient } from '../../http/client.js';
import type { Slot } from '../journal.js';
import { upstreamBefore } from '../takeover.js';
import {
  allocatePortOrReuse,
  gate,
  type Replica,
  type ServiceDeploy,
  startReplica,
  stopReplica,
  upstreamOf,
} from './replicas.js';
import { type RollingResult, runningReplicas, undo } from './rolling.js';
import { smokeSlot } from './slot-smoke.js';

export interface BlueGreenResult extends RollingResult {
  /** The replicas that served before: running, out of traffic (the standby). */
  standby: Replica[];
  /** What happened when, for the summary's timeline. */
  events: SwitchEvent[];
}

const addressOf = (r: Replica) => `127.0.0.1:${r.port}`;

/**
 * Deploy `d` into `slot`. Needs `d.proxy` and host ports (the slots run side by side). Any failure before the switch
 * removes the new slot and restarts what it stopped; a verify that fails after it switches back (the old bytes) first.
 */
export async function blueGreen(d: ServiceDeploy, slot: Slot): Promise<BlueGreenResult> {
  const label = `${d.target.name}/${d.name}`;
  const proxy = d.proxy;
  if (!proxy) throw new Error(`${label}: blue-green needs the nginx proxy in front of the service`);
  if (!d.service['host-ports']) {
    throw new UserError(
      `${label}: blue-green runs both slots side by side, each replica on its own port: set services.${d.name}.host-ports (at least 2 × replicas ports)`,
    );
  }
  const events: SwitchEvent[] = [];
  const mark = (what: string) => events.push({ at: d.clock.now().toISOString(), what });
  const before = await upstreamBefore(d);
  const running = await runningReplicas(d);
  const active = running.filter((r) => r.port !== undefined && before?.serving.has(addressOf(r)));
  const idle = running.filter((r) => !active.includes(r));
  mark(`${slot} slot: ${d.release}`);
  for (const r of idle) {
    d.log.info(`${label}: the ${slot} slot holds ${r.name} (${r.release}, out of traffic): stopped (kept)`);
    await stopReplica(d, r);
  }
  // The new slot keeps off the ports of the slot it replaces too (while the range allows): a failure then restarts
  // those replicas as they were, and the new ones are removed only after the upstream is back.
  const used = new Set(running.flatMap((r) => (r.port === undefined ? [] : [r.port])));
  const nextPort = () => allocatePortOrReuse(d, used, idle, "both slots' (the new slot takes the stopped one's)");
  const fresh: Replica[] = [];
  try {
    for (let i = 0; i < d.service.replicas; i++) fresh.push(await startReplica(d, i, await nextPort()));
    mark(`started ${fresh.length} replica(s) on ${fresh.map((r) => r.port).join(', ')}`);
    await gate(d, fresh);
    mark('health gate passed');
    await smokeSlot(d, fresh);
    mark('smoked on its own ports');
    await proxy.set(upstreamOf(fresh), `switch to the ${slot} slot (${d.release})`);
    mark(`upstream switched to ${slot}`);
  } catch (err) {
    await undo(d, before, idle, fresh);
    throw err;
  }
  try {
    await verifyThroughProxy(d);
    mark('verified through nginx');
  } catch (err) {
    d.log.warn(
      `${label}: ${err instanceof CancelledError ? 'cancelled right after the switch' : 'the switch did not verify through nginx'}; switching back at once`,
    );
    // The upstream goes back first, so no request is sent to a replica that the undo then removes.
    await proxy
      .restore(before?.text, 'switch back')
      .catch((e: Error) => d.log.warn(`could not switch back: ${e.message}`));
    await undo(d, before, idle, fresh);
    throw err;
  }
  const standby = active;
  if (standby.length > 0) {
    d.log.info(
      `${label}: ${standby.map((r) => r.name).join(', ')} keep running out of traffic (standby for an instant switch back)`,
    );
  }
  return { replicas: fresh, adopted: before?.foreign ?? [], standby, events };
}

/**
 * After a switch: `strategy.blue-green.verify` GETs of the health path on the environment's url, through nginx,
 * each answered below 500 (a 5xx or no answer means nginx cannot reach the new slot). Without a url, nothing to send:
 * said in the log. Throws UserError with the first failure.
 */
export async function verifyThroughProxy(d: ServiceDeploy): Promise<void> {
  const count = d.config.strategy['blue-green'].verify;
  const base = d.config.environments[d.environment]?.url;
  if (count === 0) return;
  if (!base) {
    d.log.info(
      `${d.target.name}/${d.name}: no environments.${d.environment}.url, so the switch is not verified through nginx`,
    );
    return;
  }
  const url = new URL(d.service.health?.http?.path ?? '/', base).toString();
  const client = httpClient({ keepAlive: false });
  try {
    for (let i = 0; i < count; i++) {
      const r = await client.request(url, { timeoutMs: 5000, signal: d.signal });
      if (!r.ok || r.status >= 500) {
        throw new UserError(
          `${d.target.name}/${d.name}: after the switch, GET ${url} through nginx ${r.ok ? `answered ${r.status}` : `failed: ${r.error}`}`,
        );
      }
    }
    d.log.info(`${d.target.name}/${d.name}: ${count} request(s) through nginx answered after the switch`);
  } finally {
    await client.close();
  }
}
