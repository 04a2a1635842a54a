import { type BackupSite, backupSite, databasePassword } from '../backup/site.js';
import type { ActionContext } from '../core/context.js';
import type { MigrationSite } from '../migrate/open.js';
import type { EnvironmentSession } from './session.js';

/** The backup site of the session's environment: on the primary target, beside the journal. */
export async function backupSiteOf(
  session: EnvironmentSession,
  ctx: Pick<ActionContext, 'runner' | 'log' | 'signal'>,
): Promise<BackupSite> {
  // The password first: a missing one is said before any connection opens.
  const password = databasePassword(session.config, ctx.runner.env, ctx.log);
  return backupSite({
    config: session.config,
    environmentName: session.environmentName,
    shell: await session.primary(),
    targetEnv: session.primaryTarget.env,
    journal: await session.journal(),
    password,
    log: ctx.log,
    signal: ctx.signal,
  });
}

/** Where the session's migration tool runs: the primary target (its engine only for a one-off container). */
export async function migrationSiteOf(
  session: EnvironmentSession,
  ctx: Pick<ActionContext, 'runner' | 'log'>,
): Promise<MigrationSite> {
  const primary = session.primaryTarget;
  return {
    config: session.config,
    environmentName: session.environmentName,
    shell: await session.shell(primary),
    targetEnv: primary.env,
    engine: () => session.engine(primary),
    vars: ctx.runner.env,
    log: ctx.log,
  };
}
