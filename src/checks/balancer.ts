/**
 * pre-deploy-check with a `load-balancer`: can the balancer reach each host at its `address`? nginx sends the
 * replicas' requests there and the health gates probe from there, so an address the balancer cannot reach would fail
 * the deploy only once a host's replicas started. Probed before anything changes: from the balancer, a TCP connection
 * to a port the host listens on now (its sshd, or its Docker endpoint's port).
 */
import type { DockerTarget, Environment, Target } from '../config/schema.js';

/** A target with a shell (ssh or local). */
type ShellTarget = Exclude<Target, DockerTarget>;

import { errorMessage } from '../core/errors.js';
import { balancerAddressOf, runsHere } from '../deploy/fleet/balancer.js';
import { tcpRefusal } from '../transports/tcp-probe.js';
import type { Transport } from '../transports/types.js';
import { type CheckResult, fail, pass, warn } from './types.js';

const CHECK = 'balancer reach';
/** How long one connection from the balancer may take (a filtered address never answers). */
const REACH_TIMEOUT_MS = 5_000;

/** The port the host listens on now, at its address: its sshd, or its Docker endpoint's tcp:// port. */
function listeningPort(target: Target): number | undefined {
  if (target.kind === 'ssh') return target.ssh.port;
  if (target.kind === 'docker') {
    const m = /^tcp:\/\/(?:\[[^\]]+\]|[^:/]+):(\d+)$/.exec(target.docker.host);
    return m ? Number(m[1]) : undefined;
  }
  return undefined;
}

/**
 * One result per host that runs a service behind the balancer (`shell`: opens the balancer's): pass when its address
 * accepted a connection from the balancer; warn when the connection was refused or timed out (a firewall may let only
 * the app's ports through, so it is not proof); nothing for local targets and the balancer itself. Never throws.
 */
export async function checkBalancerReach(
  environment: Environment,
  services: ReadonlyArray<{ roles?: string[] }>,
  shell: (target: ShellTarget) => Promise<Pick<Transport, 'connectTcp'>>,
): Promise<CheckResult[]> {
  const name = environment['load-balancer'];
  const balancer = environment.targets.find((t): t is ShellTarget => t.name === name && t.kind !== 'docker');
  if (name === undefined || !balancer) return [];
  // A balancer that cannot be reached itself failed its own checks already.
  const lb = await shell(balancer).catch(() => undefined);
  if (!lb) return [];
  const hosts = environment.targets.filter(
    (t) => t.name !== name && t.kind !== 'local' && services.some((s) => runsHere(environment, t, s)),
  );
  return Promise.all(
    hosts.map(async (t): Promise<CheckResult> => {
      const address = balancerAddressOf(t, name);
      const port = listeningPort(t);
      if (port === undefined) return pass(t.name, CHECK, `${address} (no port to probe it on before the deploy)`);
      try {
        const refused = await tcpRefusal(lb, address, port, REACH_TIMEOUT_MS);
        if (refused === undefined) return pass(t.name, CHECK, `${name} reaches ${address} (port ${port} accepted)`);
        return warn(
          t.name,
          CHECK,
          `${name} could not connect to ${address}:${port} (${errorMessage(refused)}): nginx on ${name} sends this host's requests to ${address} (targets[].address) — check the address, or that a firewall lets ${name} through`,
        );
      } catch (err) {
        return fail(t.name, CHECK, `${name} cannot open TCP connections: ${errorMessage(err)}`);
      }
    }),
  );
}
