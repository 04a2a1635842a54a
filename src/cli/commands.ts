import { runBackup } from '../actions/backup.js';
import { runBackupList, runBackupRestore, runBackupVerify } from '../actions/backup-cli.js';
import { postDeploy, runDeploy } from '../actions/deploy.js';
import { postMigrate, runMigrate } from '../actions/migrate.js';
import { postPipeline, runPipeline } from '../actions/pipeline.js';
import { preDeployCheckInputs, runPreDeployCheck } from '../actions/pre-deploy-check.js';
import { postRollback, runRollback } from '../actions/rollback.js';
import { runSmokeTest, smokeInputs } from '../actions/smoke-test.js';
import { runStatus, runUnlock, statusInputs, unlockInputs } from '../actions/status.js';
import type { StepFn } from '../core/context.js';
import { backupInputs, backupListInputs, backupRestoreInputs, backupVerifyInputs } from '../inputs/backup.js';
import { deployInputs } from '../inputs/deploy.js';
import { migrateInputs } from '../inputs/migrate.js';
import { pipelineInputs } from '../inputs/pipeline.js';
import { rollbackInputs } from '../inputs/rollback.js';
import type { InputSpecs } from '../inputs/spec.js';

export interface CliCommand {
  summary: string;
  inputs: InputSpecs;
  main: StepFn;
  post?: StepFn;
  /** A terminal command with no GitHub Action of its own (the pipeline is the root action.yml). */
  cliOnly?: boolean;
}

/** Every action, runnable from a terminal with the same input names. */
export const commands: Record<string, CliCommand> = {
  'pre-deploy-check': {
    summary: 'Check config, hosts (reachable, disk, docker, compose), secrets and deploy windows',
    inputs: preDeployCheckInputs,
    main: runPreDeployCheck,
  },
  deploy: {
    summary: 'Deploy a version: health-gated rolling or recreate, journaled, one deploy at a time',
    inputs: deployInputs,
    main: runDeploy,
    post: postDeploy,
  },
  migrate: {
    summary: 'Run schema migrations after a verified backup, with bounded locks (dry run: the SQL and warnings)',
    inputs: migrateInputs,
    main: runMigrate,
    post: postMigrate,
  },
  backup: {
    summary: 'Back up the database (pg_dump), prove it restorable, record it, apply retention',
    inputs: backupInputs,
    main: runBackup,
  },
  'backup-list': {
    summary: 'List the backups of an environment (runbook backup list): verified, size, age',
    inputs: backupListInputs,
    main: runBackupList,
    cliOnly: true,
  },
  'backup-verify': {
    summary: 'Verify a backup again: runbook backup verify <id> (sha256, then restore or list)',
    inputs: backupVerifyInputs,
    main: runBackupVerify,
    cliOnly: true,
  },
  'backup-restore': {
    summary: 'Restore a backup over the database: runbook backup restore <id> --confirm <database>',
    inputs: backupRestoreInputs,
    main: runBackupRestore,
    cliOnly: true,
  },
  'smoke-test': {
    summary: 'Check the live release: HTTP checks with JSON assertions, retried until smoke.wait; a latency sample',
    inputs: smokeInputs,
    main: runSmokeTest,
  },
  rollback: {
    summary: 'Restore a recorded release (default: the one before the live one): image, traffic, migration, database',
    inputs: rollbackInputs,
    main: runRollback,
    post: postRollback,
  },
  pipeline: {
    summary: 'The whole pipeline (the root action): check, backup, migrate, deploy, smoke test; rollback on failure',
    inputs: pipelineInputs,
    main: runPipeline,
    post: postPipeline,
    cliOnly: true,
  },
  status: {
    summary: 'Show the deploy lock and the journal of an environment',
    inputs: statusInputs,
    main: runStatus,
    cliOnly: true,
  },
  unlock: {
    summary: 'Remove a stale deploy lock (--input reason="…")',
    inputs: unlockInputs,
    main: runUnlock,
    cliOnly: true,
  },
};
