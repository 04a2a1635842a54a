import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { balancerHosts } from '../deploy/fleet/balancer.js';
import { candidateSample } from '../proxy/candidate.js';
import { atHost } from '../proxy/host-share.js';
import { NginxUpstream } from '../proxy/nginx.js';
import type { UpstreamFile } from '../proxy/upstream-file.js';
import type { EnvironmentSession } from '../session/session.js';

const LAYOUT: Record<UpstreamFile['layout'], string> = {
  block: 'the upstream block; only its server lines change',
  servers: 'server lines included inside the upstream block',
  new: 'a new file',
};

/**
 * For the deploy dry run: per target, the upstream file as the deploy will leave it — read (one `cat`, nothing
 * else) and rewritten in memory with the fronted service's replicas on the first ports of `host-ports` (the deploy
 * takes the lowest free ones, so the real ports may be higher), or, with compose recreate, its one port. Nothing
 * shown when the deploy would not switch (no port). A file that cannot be read, or holds no usable
 * layout, is said so, never thrown: the rest of the plan still shows.
 */
export async function upstreamPreview(
  session: EnvironmentSession,
  services: readonly string[],
  driver: 'engine' | 'compose' | 'swarm',
  strategy: string,
  clock: Clock,
  log: Logger,
): Promise<string[]> {
  const { config, environment } = session;
  const nginx = config.strategy.proxy?.nginx;
  const name = nginx?.service ?? services[0];
  const service = name === undefined ? undefined : config.services?.[name];
  if (!nginx || !service || !services.includes(name as string)) return [];
  // Compose recreate switches to the service's one port; rolling (either driver) to one host port per replica.
  const sample =
    driver === 'compose' && strategy === 'recreate'
      ? service.port === undefined
        ? []
        : [{ address: `127.0.0.1:${service.port}` }]
      : candidateSample(service);
  if (sample.length === 0) return [];
  const lines: string[] = [];
  const balancer = environment['load-balancer'];
  const fronting = balancer === undefined ? undefined : environment.targets.find((t) => t.name === balancer);
  // One load balancer: its one upstream lists every host's replicas at the host's address.
  const sampleAt = (address: string) => sample.map((s) => atHost(s, address));
  const hosts = balancer === undefined ? [] : balancerHosts(config, environment).owners;
  for (const target of fronting ? [fronting] : environment.targets) {
    if (target.kind === 'docker') continue;
    const file = nginx['upstream-file'];
    try {
      const proxy = new NginxUpstream(await session.shell(target), nginx, clock, log);
      const { text, file: parsed } = await proxy.read();
      const now = parsed.servers.map((s) => s.address).join(', ');
      const kept = now ? `; serving ${now} now, kept until the new replicas serve` : '';
      lines.push(`${target.name}: ${file} after the deploy (${LAYOUT[parsed.layout]}${kept}):`);
      const servers = fronting ? hosts.flatMap(sampleAt) : sample;
      const whose = fronting ? `, the load balancer of ${hosts.length} host(s)` : '';
      if (whose) lines[lines.length - 1] = lines[lines.length - 1]?.replace(/:$/, `${whose}:`) ?? '';
      for (const l of proxy.render(text, servers).trimEnd().split('\n')) lines.push(`  | ${l}`);
    } catch (err) {
      lines.push(`${target.name}: ${file} not read (${errorMessage(err)}); pre-deploy-check tests it`);
    }
  }
  return lines;
}
