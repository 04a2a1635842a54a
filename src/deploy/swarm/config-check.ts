/**
 * What the swarm driver needs of the config, said before any connection (deploy refuses, pre-deploy-check fails the
 * strategy check, both with these sentences): each naming the key, its value and what is allowed.
 */
import type { Config } from '../../config/schema.js';

/** Ports a service needs in host-ports: its tasks and the ones an update starts beside them never share one. */
export function portsNeeded(replicas: number): number {
  return 2 * replicas;
}

/** The problems of `config` for `strategy` with the swarm driver (none: it can deploy). */
export function swarmConfigProblems(
  config: Pick<Config, 'strategy'> & Partial<Pick<Config, 'services'>>,
  strategy: string,
): string[] {
  const out: string[] = [];
  if (strategy !== 'rolling') {
    out.push(
      `strategy ${strategy} with strategy.driver swarm: Swarm replaces a service's tasks itself, in a rolling update (strategy.swarm.order start-first or stop-first, parallelism, delay); use strategy.type rolling`,
    );
  }
  const nginx = config.strategy.proxy?.nginx;
  const names = Object.keys(config.services ?? {});
  const fronted = nginx ? (nginx.service ?? names[0]) : undefined;
  for (const [name, s] of Object.entries(config.services ?? {})) {
    const key = `services.${name}`;
    if (s.network !== 'host') {
      out.push(
        `${key}.network is ${s.network}: the swarm driver runs every task on the host network, each on its own port from host-ports (told in ${s['port-env']}), so nginx reaches each task directly; set network: host`,
      );
    }
    const range = s['host-ports'];
    if (!range && (name === fronted || s.health?.http)) {
      out.push(
        `${key}.host-ports is not set: ${name === fronted ? 'the service behind nginx' : 'an HTTP health check'} needs each task's port; set a range of at least ${portsNeeded(s.replicas)} ports (2 × replicas), like 18000-${18000 + portsNeeded(s.replicas) - 1}`,
      );
    } else if (range && range[1] - range[0] + 1 < portsNeeded(s.replicas)) {
      out.push(
        `${key}.host-ports ${range[0]}-${range[1]} has ${range[1] - range[0] + 1} ports; with ${s.replicas} replicas the swarm driver needs at least ${portsNeeded(s.replicas)} (2 × replicas): an update starts its tasks on ports the running ones do not hold`,
      );
    }
    for (const h of s['extra-hosts'] ?? []) {
      if (h.endsWith(':host-gateway')) {
        out.push(
          `${key}.extra-hosts ${h}: host-gateway is the bridge's gateway, and swarm tasks run on the host network (the host is 127.0.0.1 there); give an address`,
        );
      }
    }
    for (const v of Object.keys(s['secret-env'] ?? {})) {
      if (s.env?.[`${v}_FILE`] !== undefined) {
        out.push(
          `${key}.env.${v}_FILE is set, but the swarm driver sets it to /run/secrets/${v} (the Swarm secret of secret-env ${v}); remove it from env`,
        );
      }
    }
  }
  return out;
}
