/** Labels and names that tie a container to its app, environment, service, release and slot. */

export const LABEL = {
  app: 'io.runbook.app',
  env: 'io.runbook.env',
  service: 'io.runbook.service',
  release: 'io.runbook.release',
  slot: 'io.runbook.slot',
  port: 'io.runbook.port',
} as const;

export interface Owner {
  app: string;
  env: string;
  service: string;
}

/** The owner of a service site's containers: its app, environment name and service name. */
export function ownerOf(s: { config: { app: string }; environment: string; name: string }): Owner {
  return { app: s.config.app, env: s.environment, service: s.name };
}

export function ownerLabels(o: Owner): Record<string, string> {
  return { [LABEL.app]: o.app, [LABEL.env]: o.env, [LABEL.service]: o.service };
}

export function replicaLabels(
  o: Owner,
  release: string,
  slot: number,
  port: number | undefined,
): Record<string, string> {
  const labels = { ...ownerLabels(o), [LABEL.release]: release, [LABEL.slot]: String(slot) };
  return port === undefined ? labels : { ...labels, [LABEL.port]: String(port) };
}

/** Docker names allow [a-zA-Z0-9][a-zA-Z0-9_.-]*; release ids and the config's names already fit. */
export function containerName(o: Owner, release: string, slot: number): string {
  return `${o.app}-${o.env}-${o.service}-${release}-${slot}`.replace(/[^a-zA-Z0-9_.-]/g, '_');
}

export function portOf(labels: Record<string, string>): number | undefined {
  const p = Number(labels[LABEL.port]);
  return Number.isInteger(p) && p > 0 ? p : undefined;
}
