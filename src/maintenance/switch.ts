/**
 * What maintenance on (on.ts) and off (off.ts) share: the scope, the configured page and nginx, each target's site.
 * Both act on every target of an environment, journaled, under the deploy lock the caller holds.
 * Traffic moves only through NginxUpstream (the upstream file's server lines, tested, reloaded, new workers waited
 * for); the page the toolkit writes (`maintenance.file`) is tested the same way, and a file nginx rejects is put back
 * before the upstream is touched.
 */
import { removeFilesArgv } from '../commands/files.js';
import type { Config, NginxProxyConfig } from '../config/schema.js';
import type { MaintenanceConfig } from '../config/schema-maintenance.js';
import type { Clock } from '../core/clock.js';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import type { JournalStore, MaintenanceRecord } from '../deploy/journal.js';
import type { DeployTarget } from '../deploy/types.js';
import { NginxUpstream } from '../proxy/nginx.js';
import { writeConfigFile } from '../transports/files.js';
import type { Transport } from '../transports/types.js';

export const QUIET = { quiet: true, timeoutMs: 30_000 } as const;

/** What switching needs: the environment's targets, its journal, who runs it. */
export interface MaintenanceScope {
  config: Config;
  /** The environment's name (environments.<name>). */
  environment: string;
  targets: readonly DeployTarget[];
  journal: JournalStore;
  who: { actor: string; runUrl?: string };
  clock: Clock;
  log: Logger;
}

/** How `on` or `off` ended: the record (as left in the journal, or as it was before `off`) and one line per target. */
export interface SwitchResult {
  record?: MaintenanceRecord;
  /** Nothing had to change (`on` while on, `off` while off). */
  already: boolean;
  lines: string[];
}

/** One target's nginx: the upstream in front of the fronted service. */
export interface Site {
  target: DeployTarget;
  upstream: NginxUpstream;
}

/** strategy.proxy.nginx, or a ConfigError: maintenance moves the upstream, so it needs one. */
export function nginxOf(config: Config): NginxProxyConfig {
  const nginx = config.strategy.proxy?.nginx;
  if (!nginx)
    throw new ConfigError('maintenance mode points the nginx upstream elsewhere: it needs strategy.proxy.nginx');
  return nginx;
}

/** strategy.proxy.nginx.maintenance, or a ConfigError saying how to set one. */
export function maintenanceOf(config: Config): MaintenanceConfig {
  const m = nginxOf(config).maintenance;
  if (!m) {
    throw new ConfigError(
      'maintenance needs strategy.proxy.nginx.maintenance: { server: 127.0.0.1:8099 } (a server you run) or { file: /etc/nginx/conf.d/<app>-maintenance.conf, listen: 8099 } (a 503 page nginx answers)',
    );
  }
  return m;
}

/** The targets whose nginx maintenance switches: the environment's load balancer when it has one, else every host. */
export function frontingTargets<T extends { name: string }>(
  config: Config,
  environment: string,
  targets: readonly T[],
): T[] {
  const balancer = config.environments[environment]?.['load-balancer'];
  return balancer === undefined ? [...targets] : targets.filter((t) => t.name === balancer);
}

export function sitesOf(s: MaintenanceScope): Site[] {
  const nginx = nginxOf(s.config);
  return frontingTargets(s.config, s.environment, s.targets).map((target) => ({
    target,
    upstream: new NginxUpstream(target.transport, nginx, s.clock, s.log, target.docker),
  }));
}

/** Put `path` back to `before` (undefined: remove it). */
export async function putBack(t: Transport, path: string, before: string | undefined): Promise<void> {
  if (before === undefined) await t.exec(removeFilesArgv([path]), QUIET);
  else await writeConfigFile(t, path, before);
}
