/** The declaration of migrate: name, summary, inputs; the step loads when it runs. */
import { migrateInputs } from '../../inputs/migrate.js';
import { defineAction } from '../module.js';

export const migrateAction = defineAction({
  name: 'migrate',
  title: 'Migrate',
  verdicts: { ok: 'migrated', failed: 'failed' },
  summary: 'Run schema migrations after a verified backup, with bounded locks (dry run: the SQL and warnings)',
  inputs: migrateInputs,
  locks: true,
  main: async (run) => (await import('../migrate.js')).runMigrate(run),
});
