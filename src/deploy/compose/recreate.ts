import {
  composePs,
  composePull,
  composeUp,
  dockerInspectImageIdArgv,
  dockerInspectStateArgv,
  dockerLogsArgv,
  dockerTagArgv,
} from '../../commands/compose.js';
import type { ComposeConfig, Service } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import { UserError } from '../../core/errors.js';
import type { Logger } from '../../core/log-types.js';
import type { NginxUpstream } from '../../proxy/nginx.js';
import type { Transport } from '../../transports/types.js';
import { check } from '../files.js';
import { type GateSubject, waitHealthy } from '../health.js';
import type { ReleaseReplica } from '../journal.js';

export interface ComposeDeploy {
  target: string;
  name: string;
  service: Service;
  compose: ComposeConfig;
  transport: Transport;
  /** The target's configured environment (DOCKER_HOST …) for every command. */
  targetEnv: Record<string, string>;
  version: string;
  previousVersion?: string;
  proxy?: NginxUpstream;
  clock: Clock;
  log: Logger;
  signal?: AbortSignal;
}

function runner(d: ComposeDeploy, version: string) {
  return async (argv: string[], what: string, quiet = true) =>
    check(
      await d.transport.exec(argv, {
        cwd: d.compose.directory,
        env: { ...d.targetEnv, [d.compose['version-env']]: version },
        quiet,
        timeoutMs: 10 * 60_000,
        signal: d.signal,
      }),
      `${what} on ${d.target}`,
    );
}

async function containerIds(d: ComposeDeploy, version: string): Promise<string[]> {
  const r = await runner(d, version)(composePs(d.compose, d.name), 'compose ps');
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

function subject(d: ComposeDeploy, id: string, slot: number): GateSubject {
  const run = runner(d, d.version);
  const port = d.service.health?.http?.port ?? d.service.port;
  return {
    label: `${d.target}/${d.name}#${slot}${port === undefined ? '' : ` (port ${port})`}`,
    host: '127.0.0.1',
    port,
    state: async () => {
      const s = JSON.parse((await run(dockerInspectStateArgv(id), 'docker inspect')).stdout) as {
        Running: boolean;
        ExitCode: number;
        Health?: { Status: string };
        StartedAt?: string;
      };
      return { running: s.Running, exitCode: s.ExitCode, health: s.Health?.Status, startedAt: s.StartedAt };
    },
    logsTail: async () => (await d.transport.exec(dockerLogsArgv(id, 20), { quiet: true, env: d.targetEnv })).stdout,
  };
}

async function up(d: ComposeDeploy, version: string): Promise<string[]> {
  const run = runner(d, version);
  if (d.compose.pull) await run(composePull(d.compose, [d.name]), 'compose pull', false);
  await run(
    composeUp(d.compose, [d.name], { forceRecreate: true, scale: { [d.name]: d.service.replicas } }),
    'compose up',
    false,
  );
  return containerIds(d, version);
}

/**
 * Recreate through compose, the runbooks' `docker compose pull && docker compose up -d --no-deps <service>`: tag the
 * running image `:rollback`, recreate, then gate on health. A failed gate brings the previous version back up.
 */
export async function composeRecreate(d: ComposeDeploy): Promise<{ replicas: ReleaseReplica[]; imageId?: string }> {
  const run = runner(d, d.version);
  const old = await containerIds(d, d.version);
  if (old[0]) {
    const imageId = (await run(dockerInspectImageIdArgv(old[0]), 'docker inspect')).stdout.trim();
    await run(dockerTagArgv(imageId, `${d.service.image}:rollback`), 'docker tag');
    d.log.info(
      `${d.target}/${d.name}: tagged the running image ${imageId.slice(0, 19)} as ${d.service.image}:rollback`,
    );
  }
  const ids = await up(d, d.version);
  if (ids.length === 0) throw new UserError(`${d.target}/${d.name}: compose started no container`);
  const ctx = { transport: d.transport, clock: d.clock, log: d.log, signal: d.signal };
  try {
    if (d.service.health) await Promise.all(ids.map((id, i) => waitHealthy(ctx, d.service.health!, subject(d, id, i))));
  } catch (err) {
    if (d.previousVersion) {
      d.log.warn(`${d.target}/${d.name}: bringing ${d.previousVersion} back up`);
      await up(d, d.previousVersion).catch((e: Error) =>
        d.log.warn(`could not restore ${d.previousVersion}: ${e.message}`),
      );
    }
    throw err;
  }
  const imageId = (await run(dockerInspectImageIdArgv(ids[0] as string), 'docker inspect')).stdout.trim();
  const port = d.service.port;
  if (d.proxy && port !== undefined) await d.proxy.set([{ host: '127.0.0.1', port }], `${d.name} recreated`);
  return { replicas: ids.map((id) => ({ target: d.target, id, name: id.slice(0, 12), port })), imageId };
}
