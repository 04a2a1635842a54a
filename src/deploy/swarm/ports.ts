/**
 * Each task's host port. Tasks run on the host network, so two tasks of a service on one node need two ports, and an
 * update runs a slot's new task beside its old one (start-first). The spec gives slot n the n-th port of a set the
 * toolkit chooses from host-ports, avoiding every port the running tasks hold, through a Swarm template in the
 * port variable (`{{if eq .Task.Slot "1"}}18002{{else if …}}…{{end}}`, evaluated by Swarm per task), and records
 * the set in the label io.runbook.ports (`1=18002,2=18003`), where the toolkit reads a task's port back.
 */
import { UserError } from '../../core/errors.js';

/** The container label of the slot → port set, on the container spec (so every task carries its spec's). */
export const PORTS_LABEL = 'io.runbook.ports';

/** `[18002, 18003]` → `1=18002,2=18003` (slot n gets the n-th port). */
export function portsLabel(ports: readonly number[]): string {
  return ports.map((p, i) => `${i + 1}=${p}`).join(',');
}

/** `1=18002,2=18003` → {1 → 18002, 2 → 18003}; anything malformed is left out. */
export function parsePortsLabel(text: string | undefined): Map<number, number> {
  const out = new Map<number, number>();
  for (const part of (text ?? '').split(',')) {
    const m = /^(\d+)=(\d+)$/.exec(part.trim());
    if (m) out.set(Number(m[1]), Number(m[2]));
  }
  return out;
}

/** The port of a task: its slot in the ports label of its spec. */
export function taskPort(labels: Record<string, string>, slot: number): number | undefined {
  return parsePortsLabel(labels[PORTS_LABEL]).get(slot);
}

/**
 * The value of the port variable: a Go template Swarm evaluates per task (Task.Slot is a string there), giving slot n
 * the n-th port; a slot beyond them (none with replicated services) gets 0, which no health check passes.
 */
export function portTemplate(ports: readonly number[]): string {
  if (ports.length === 0) return '0';
  const branches = ports.map((p, i) => `${i === 0 ? '{{if' : '{{else if'} eq .Task.Slot "${i + 1}"}}${p}`);
  return `${branches.join('')}{{else}}0{{end}}`;
}

/**
 * `replicas` ports from `range`, lowest first, none in `avoid` (the ports of the service's current spec and of its
 * running tasks) and none where something else listens (`busy`). Throws UserError naming the range when there are
 * not enough.
 */
export async function choosePorts(
  where: string,
  range: readonly [number, number],
  replicas: number,
  avoid: ReadonlySet<number>,
  busy: (port: number) => Promise<boolean>,
): Promise<number[]> {
  const out: number[] = [];
  const taken: number[] = [];
  for (let port = range[0]; port <= range[1] && out.length < replicas; port++) {
    if (avoid.has(port)) continue;
    if (await busy(port)) {
      taken.push(port);
      continue;
    }
    out.push(port);
  }
  if (out.length < replicas) {
    const held = [...avoid].filter((p) => p >= range[0] && p <= range[1]).sort((a, b) => a - b);
    throw new UserError(
      `${where}: host-ports ${range[0]}-${range[1]} has ${out.length} free port(s) for ${replicas} new task(s) (held by the running tasks: ${held.join(', ') || 'none'}; taken by something else: ${taken.join(', ') || 'none'}); widen host-ports`,
    );
  }
  return out;
}
