import { backupAction } from '../actions/backup.js';
import { backupListAction, backupRestoreAction, backupVerifyAction } from '../actions/backup-cli.js';
import { deployAction } from '../actions/deploy.js';
import { migrateAction } from '../actions/migrate.js';
import type { ActionModule } from '../actions/module.js';
import { pipelineAction } from '../actions/pipeline.js';
import { preDeployCheckAction } from '../actions/pre-deploy-check.js';
import { rollbackAction } from '../actions/rollback.js';
import { smokeTestAction } from '../actions/smoke-test.js';
import { statusAction, unlockAction } from '../actions/status.js';

/** Every action, in pipeline order, then the terminal-only commands: the CLI's command list is this list. */
export const actionModules: readonly ActionModule[] = [
  preDeployCheckAction,
  backupAction,
  migrateAction,
  deployAction,
  smokeTestAction,
  rollbackAction,
  pipelineAction,
  backupListAction,
  backupVerifyAction,
  backupRestoreAction,
  statusAction,
  unlockAction,
] as readonly ActionModule[];

/** The CLI's commands by name (each action's own name). */
export const commands: Readonly<Record<string, ActionModule>> = Object.fromEntries(
  actionModules.map((m) => [m.name, m]),
);
