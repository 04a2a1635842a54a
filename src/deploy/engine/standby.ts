/**
 * Blue-green's standby past its time: `strategy.blue-green.standby` after a switch, the old slot stops being the
 * instant way back. The next deploy stops its containers (kept: a rollback with scope image still starts them); until
 * then `runbook status` says it has expired.
 */
import type { Config } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/log-types.js';
import type { Release } from '../journal.js';
import type { DeployTarget } from '../types.js';
import { LABEL } from './labels.js';

/** Has `live`'s standby time passed at `now`? False without a standby. */
export function standbyExpired(live: Pick<Release, 'standby'> | undefined, now: Date): boolean {
  return live?.standby !== undefined && Date.parse(live.standby.until) <= now.getTime();
}

/**
 * Stop the running containers of `live`'s standby release on every target (its time has passed), each with its
 * service's stop grace. Logs what it stopped; a container it cannot stop is logged and left. Does nothing when the
 * standby has not expired.
 */
export async function stopExpiredStandby(
  config: Pick<Config, 'app' | 'services'>,
  environment: string,
  live: Pick<Release, 'standby'> | undefined,
  deps: { targets: readonly DeployTarget[]; clock: Clock; log: Logger },
): Promise<void> {
  const standby = live?.standby;
  if (!standby || !standbyExpired(live, deps.clock.now())) return;
  for (const target of deps.targets) {
    if (!target.docker) continue;
    const running = await target.docker.listContainers({
      labels: { [LABEL.app]: config.app, [LABEL.env]: environment, [LABEL.release]: standby.release },
    });
    for (const c of running.filter((x) => x.state === 'running')) {
      const service = config.services?.[c.labels[LABEL.service] ?? ''];
      const grace = Math.ceil((service?.['stop-grace'] ?? 10_000) / 1000);
      await target.docker
        .stopContainer(c.id, grace)
        .then(() =>
          deps.log.info(
            `${target.name}: ${c.names[0] ?? c.id} stopped: the blue-green standby ${standby.release} expired at ${standby.until} (kept for rollback with scope image)`,
          ),
        )
        .catch((err: Error) => deps.log.warn(`${target.name}: could not stop ${c.names[0] ?? c.id}: ${err.message}`));
    }
  }
}
