import { upstreamBefore } from '../takeover.js';
import {
  allocatePort,
  gate,
  type Replica,
  type ServiceDeploy,
  startReplica,
  stopReplica,
  upstreamOf,
} from './replicas.js';
import { type RollingResult, runningReplicas, undo } from './rolling.js';

/**
 * Recreate (the runbooks' hotfix path): stop the old replicas (kept, with the image the journal recorded), start the
 * new ones on the same ports, verify. Brief downtime by design. A failed verify starts the old replicas again.
 */
export async function recreate(d: ServiceDeploy): Promise<RollingResult> {
  const before = await upstreamBefore(d);
  const original = await runningReplicas(d);
  const ports = original.flatMap((r) => (r.port === undefined ? [] : [r.port]));
  const used = new Set(ports);
  const portFor = async (slot: number): Promise<number | undefined> => ports[slot] ?? (await allocatePort(d, used));
  const fresh: Replica[] = [];
  try {
    for (const r of original) await stopReplica(d, r);
    for (let slot = 0; slot < d.service.replicas; slot++) fresh.push(await startReplica(d, slot, await portFor(slot)));
    await gate(d, fresh);
    if (d.proxy) await d.proxy.set(upstreamOf(fresh), 'recreate');
    return { replicas: fresh, adopted: before?.foreign ?? [] };
  } catch (err) {
    await undo(d, before, original, fresh);
    throw err;
  }
}
