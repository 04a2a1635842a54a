import { hostname, userInfo } from 'node:os';
import type { Config, Environment } from '../config/schema.js';
import type { ActionContext } from '../core/context.js';
import { ConfigError } from '../core/errors.js';
import { JournalStore, stateDirs } from '../deploy/journal.js';
import { DeployLock } from '../deploy/lock.js';
import type { commonInputs } from '../inputs/common.js';
import type { ParsedInputs } from '../inputs/spec.js';
import { TargetPool } from '../transports/pool.js';
import type { Transport } from '../transports/types.js';

const LOCK_STATE = 'deploy-lock';
/** A lease lives this long unless renewed; the holder renews it every LOCK_RENEW_MS while it works. */
const LOCK_TTL_MS = 15 * 60_000;
const LOCK_RENEW_MS = 5 * 60_000;

type SshInputs = Pick<
  ParsedInputs<typeof commonInputs>,
  'ssh-private-key' | 'ssh-private-key-passphrase' | 'ssh-known-hosts' | 'ssh-insecure-ignore-host-key'
>;

/** Who is changing the environment: the workflow run (URL, actor) in Actions, user@host from a terminal. */
export function runIdentity(env: Readonly<Record<string, string | undefined>>): {
  holder: string;
  actor: string;
  runUrl?: string;
} {
  if (env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY) {
    const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
    const runUrl = `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
    return { holder: runUrl, actor: env.GITHUB_ACTOR ?? 'unknown', runUrl };
  }
  const who = `${userInfo().username}@${hostname()}`;
  return { holder: `cli:${who}`, actor: who };
}

/** One SSH connection per target for the run, closed by the runner's cleanup. */
export function poolFor(ctx: ActionContext, inputs: SshInputs): TargetPool {
  const pool = new TargetPool(
    {
      privateKey: inputs['ssh-private-key'],
      passphrase: inputs['ssh-private-key-passphrase'],
      knownHosts: inputs['ssh-known-hosts'],
      insecureIgnoreHostKey: inputs['ssh-insecure-ignore-host-key'],
    },
    ctx.log,
    ctx.signal,
  );
  ctx.onCleanup(() => pool.close());
  return pool;
}

/** The environment's first target: it holds the journal, the lock and the backups, so it needs a shell. */
export function primaryTarget(env: Environment, envName: string) {
  const primary = env.targets[0];
  if (!primary || primary.kind === 'docker') {
    throw new ConfigError(
      `environment ${envName}: the first target holds the journal, lock and backups and must be an ssh or local target`,
    );
  }
  return primary;
}

export interface Locked {
  primary: Transport;
  journal: JournalStore;
  who: ReturnType<typeof runIdentity>;
}

/**
 * Take the environment's deploy lock on its primary target (waiting up to `lockWait`), remember it for the post
 * step, and release it in the runner's cleanup. Everything that changes an environment runs inside it.
 */
export async function lockEnvironment(
  ctx: ActionContext,
  pool: TargetPool,
  config: Config,
  envName: string,
  env: Environment,
  lockWait: number,
): Promise<Locked> {
  const primary = env.targets[0];
  if (!primary || primary.kind === 'docker') {
    throw new ConfigError(
      `environment ${envName}: the first target holds the journal and lock and must be an ssh or local target`,
    );
  }
  const t = await pool.get(primary);
  const dirs = stateDirs(env['state-dir'], envName);
  const lock = new DeployLock(t, dirs.lock, ctx.clock, ctx.log, `${config.app}/${envName}`);
  const who = runIdentity(ctx.host.env);
  const lease = await ctx.log.group('Deploy lock', () =>
    lock.acquire({ holder: who.holder, actor: who.actor, ttlMs: LOCK_TTL_MS, waitMs: lockWait, signal: ctx.signal }),
  );
  ctx.host.saveState(LOCK_STATE, JSON.stringify({ token: lease.token }));
  const stopRenewing = lock.keepAlive(lease.token, LOCK_RENEW_MS, LOCK_TTL_MS);
  ctx.onCleanup(async () => {
    await stopRenewing();
    if (await lock.release(lease.token)) ctx.host.saveState(LOCK_STATE, '');
  });
  return { primary: t, journal: new JournalStore(t, dirs.journal, config.app, envName), who };
}

/** Post step: if main never released the lock (killed, cancelled), release it now. */
export async function releaseSavedLock(
  ctx: ActionContext,
  inputs: SshInputs & { config: string; environment: string },
  loadEnv: () => Promise<{ config: Config; env: Environment }>,
): Promise<void> {
  const saved = ctx.host.getState(LOCK_STATE);
  if (!saved) return;
  const { token } = JSON.parse(saved) as { token: string };
  const { config, env } = await loadEnv();
  const primary = env.targets[0];
  if (!primary || primary.kind === 'docker') return;
  const pool = poolFor(ctx, inputs);
  const dirs = stateDirs(env['state-dir'], inputs.environment);
  const lock = new DeployLock(
    await pool.get(primary),
    dirs.lock,
    ctx.clock,
    ctx.log,
    `${config.app}/${inputs.environment}`,
  );
  await lock.release(token);
}
