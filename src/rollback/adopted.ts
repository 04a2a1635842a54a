import { UserError } from '../core/errors.js';
import { ownerLabels, ownerOf } from '../deploy/engine/labels.js';
import { replicaFromLabels, type ServiceDeploy, stopReplica } from '../deploy/engine/replicas.js';
import { probeOf } from '../deploy/fleet/balancer.js';
import { waitHealthy } from '../deploy/health.js';
import type { ServiceRelease } from '../deploy/journal.js';
import { acceptsConnections } from '../deploy/takeover.js';
import { hostPortOf, type UpstreamServer } from '../proxy/upstream-file.js';

/**
 * Roll back to a site as it was taken over (a release with `origin: adopted`): put the servers that served then back
 * in the upstream, with their parameters as written, once each of them accepts connections (they were left
 * running) and passes the service's HTTP health gate; then, for `image`, drain and stop the toolkit's replicas (kept, so this can be undone too). Refuses,
 * changing nothing, when one of them no longer answers, saying how to bring it back. Returns no replicas (nothing of
 * the toolkit's serves the service afterwards).
 */
export async function restoreAdopted(d: ServiceDeploy, rec: ServiceRelease, mode: 'image' | 'traffic'): Promise<void> {
  const label = `${d.target.name}/${d.name}`;
  const servers: UpstreamServer[] = (rec.servers ?? [])
    .filter((s) => s.target === d.target.name)
    .map((s) => ({ address: s.address, params: s.params }));
  if (servers.length === 0) {
    // Behind one load balancer, a host that served nothing before the take-over leaves the upstream again: its
    // servers drained, its replicas stopped (kept). Never empty meanwhile: the hosts not yet rolled back still serve,
    // and the host that served before puts its servers back before draining its own.
    if (d.target.balancer && d.proxy && (rec.servers ?? []).length > 0)
      await leave(d, [], mode, 'rollback to the site as it was taken over (this host served nothing then)');
    return;
  }
  if (!d.proxy) throw new UserError(`${label}: the site was taken over through nginx, and the config has no proxy now`);
  const down: string[] = [];
  for (const s of servers) if (!(await acceptsConnections(probeOf(d.target), s.address))) down.push(s.address);
  if (down.length > 0) {
    throw new UserError(
      `${label}: what served before the take-over no longer answers on ${down.join(', ')}; start it again (it is not the toolkit's to start), then roll back`,
    );
  }
  // The service's HTTP health gate, as any restored release passes it before nginx sends it traffic.
  const http = d.service.health?.http ? d.service.health : undefined;
  if (http) {
    const ctx = { transport: probeOf(d.target), clock: d.clock, log: d.log, signal: d.signal };
    for (const s of servers) {
      const at = hostPortOf(s.address);
      if (!at) continue;
      await waitHealthy(
        ctx,
        { ...http, stable: 0 },
        {
          label: `${label} ${s.address} (as taken over)`,
          host: at.host,
          port: at.port,
          state: async () => ({ running: true, exitCode: 0 }),
          logsTail: async () => '',
        },
      );
    }
  }
  await leave(d, servers, mode, 'rollback to the site as it was taken over');
}

/** Point the upstream at `servers`, then (`image`) drain and stop the toolkit's running replicas, kept. */
async function leave(
  d: ServiceDeploy,
  servers: UpstreamServer[],
  mode: 'image' | 'traffic',
  why: string,
): Promise<void> {
  const serving = (await d.docker.listContainers({ labels: ownerLabels(ownerOf(d)) }))
    .filter((c) => c.state === 'running')
    .map((c) => replicaFromLabels(c.id, c.names[0] ?? c.id, c.labels));
  await d.proxy?.set(servers, why);
  if (mode === 'traffic' || serving.length === 0) return;
  await d.clock.sleep(d.config.strategy.drain, d.signal);
  for (const r of serving)
    await stopReplica(d, r).catch((e: Error) => d.log.warn(`could not stop ${r.name}: ${e.message}`));
}
