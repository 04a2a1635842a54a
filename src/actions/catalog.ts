/**
 * Every action, declared once (src/actions/declare/: name — the folder under actions/ and the CLI command —, summary,
 * inputs with their action.yml names, and the step, loaded only when it runs). An entry point loads its own
 * declaration, the input specs and the runner, nothing else, so a step starts about as fast as bare node. The CLI's
 * command list is this list.
 */

import { backupAction, backupListAction, backupRestoreAction, backupVerifyAction } from './declare/backup.js';
import { deployAction } from './declare/deploy.js';
import { initAction } from './declare/init.js';
import { maintenanceAction } from './declare/maintenance.js';
import { migrateAction } from './declare/migrate.js';
import { pipelineAction } from './declare/pipeline.js';
import { preDeployCheckAction } from './declare/pre-deploy-check.js';
import { abortAction, promoteAction } from './declare/promote.js';
import { rollbackAction } from './declare/rollback.js';
import { smokeTestAction } from './declare/smoke-test.js';
import { statusAction, unlockAction } from './declare/status.js';
import type { ActionModule } from './module.js';

export {
  abortAction,
  backupAction,
  backupListAction,
  backupRestoreAction,
  backupVerifyAction,
  deployAction,
  initAction,
  maintenanceAction,
  migrateAction,
  pipelineAction,
  preDeployCheckAction,
  promoteAction,
  rollbackAction,
  smokeTestAction,
  statusAction,
  unlockAction,
};

/** Every action, in pipeline order, then the terminal-only commands. */
export const actionModules: readonly ActionModule[] = [
  preDeployCheckAction,
  backupAction,
  migrateAction,
  deployAction,
  smokeTestAction,
  rollbackAction,
  promoteAction,
  maintenanceAction,
  pipelineAction,
  backupListAction,
  backupVerifyAction,
  backupRestoreAction,
  statusAction,
  unlockAction,
  abortAction,
  initAction,
] as readonly ActionModule[];
