/**
 * Reliability matrix, bad inputs: every row of bad-inputs.ts is refused before anything runs — exactly one line that
 * names the field, no command on any target, no connection opened (the config and inputs alone tell). The figures
 * go to the report (report.ts) when RELIABILITY_REPORT is set (`npm run test:reliability`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  backupAction,
  deployAction,
  migrateAction,
  preDeployCheckAction,
  promoteAction,
  rollbackAction,
  smokeTestAction,
  statusAction,
} from '../../src/actions/catalog.js';
import { runFlow } from '../unit/flows/run-flow.js';
import { type BadInput, badInputs } from './bad-inputs.js';
import { recordInputs } from './report.js';

const ACTIONS = {
  deploy: deployAction,
  'pre-deploy-check': preDeployCheckAction,
  rollback: rollbackAction,
  backup: backupAction,
  migrate: migrateAction,
  'smoke-test': smokeTestAction,
  status: statusAction,
  promote: promoteAction,
} as const;

const rows = badInputs();
const outcomes: Array<{ row: BadInput; message: string; commands: number; connections: number; ok: boolean }> = [];

describe('reliability: bad inputs are refused before anything runs', () => {
  it('has at least 150 rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(150);
  });

  it.each(rows.map((r) => [`${r.action} — ${r.name}`, r] as const))('%s', async (_, row) => {
    const r = await runFlow(ACTIONS[row.action], { config: row.config, inputs: row.inputs, env: row.env });
    const message = r.failed.join('\n');
    const connections = r.connector.filter((c) => c !== 'close').length;
    const ok = !r.ok && r.failed.length === 1 && !message.includes('\n') && row.expect.test(message);
    outcomes.push({ row, message, commands: r.commands.length, connections, ok: ok && r.commands.length === 0 });
    expect(r.ok).toBe(false);
    expect(r.failed).toHaveLength(1);
    expect(message).not.toContain('\n');
    expect(message).toMatch(row.expect);
    expect(message).not.toMatch(/internal error/i);
    if (row.secret) expect(message).not.toContain(row.secret);
    expect(r.commands).toEqual([]);
    expect(connections).toBe(0);
  });

  afterAll(() => recordInputs(outcomes));
});
