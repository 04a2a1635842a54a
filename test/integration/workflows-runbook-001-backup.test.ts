/**
 * workflows-examples/runbook-001-backup-restore.yml run end to end (helpers/workflow-run.ts) against a team's site
 * reached over SSH (the sandbox sshd; its user writes the backups): the backup action, then `runbook backup list` and
 * `runbook backup restore` from the workflow's bash steps (npx of this checkout, the key through a pipe), against a
 * seeded copy of the sandbox PostgreSQL database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint, psql } from './helpers/pg-sandbox.js';
import { ENVIRONMENT, type TeamSite, teamSite } from './helpers/workflow-site.js';

const WORKFLOW = 'runbook-001-backup-restore.yml';

describe('runbook 001: backup, list and restore, as dispatched workflows', () => {
  let site: TeamSite;
  const run = (action: string, more: Record<string, string> = {}) =>
    site.dispatch(WORKFLOW, { environment: ENVIRONMENT, action, ...more });
  const sql = (q: string) => psql(site.pg!, site.database!, q);
  let first = '';

  beforeAll(async () => {
    site = await teamSite({ name: 'rb001b', over: 'ssh', database: true });
  });
  afterAll(async () => {
    await site?.close();
  });

  it('backup: a restore-verified backup; list shows it in the job summary as the latest verified one', async () => {
    const r = await run('backup');
    expect(r.conclusion, r.log).toBe('success');
    first = r.job('backup').outputs['backup-id'] ?? '';
    expect(first).toMatch(new RegExp(`^${site.app}-${ENVIRONMENT}-`));
    expect(r.step('backup', 'backup').outputs.verified).toBe('true');
    expect(r.step('backup', 'Say which').stdout).toMatch(new RegExp(`::notice::backup ${first} \\(\\d+ bytes`));

    const list = await run('list');
    expect(list.conclusion, list.log).toBe('success');
    expect(list.step('list', 'list').outputs).toEqual({ count: '1', latest: first });
    expect(list.step('list', 'list').summary).toContain(`| ${first} | true |`);
  });

  it('restore latest: rows written since are gone, every row the backup held is back, the state before kept', async () => {
    const before = fingerprint(site.pg!, site.database!);
    sql("INSERT INTO customers (email, name, created_at) VALUES ('after@example.com', 'After', now())");
    sql('DELETE FROM order_items WHERE line = 1');
    expect(fingerprint(site.pg!, site.database!)).not.toEqual(before);

    const r = await run('restore', { 'confirm-database': site.database! });
    expect(r.conclusion, r.log).toBe('success');
    expect(r.job('restore').outputs['restored-id']).toBe(first);
    const safety = r.job('restore').outputs['safety-backup-id'] ?? '';
    expect(safety).toMatch(new RegExp(`^${site.app}-${ENVIRONMENT}-`));
    expect(safety).not.toBe(first);
    expect(fingerprint(site.pg!, site.database!)).toEqual(before);
    expect(sql("SELECT count(*) FROM customers WHERE email = 'after@example.com'")).toBe('0');

    // The safety backup holds what was there: list shows both, the newest verified one is the safety backup.
    const list = await run('list');
    expect(list.step('list', 'list').outputs).toEqual({ count: '2', latest: safety });
  });

  it('restore refuses without the database name typed again: nothing restored, nothing backed up', async () => {
    sql("INSERT INTO customers (email, name, created_at) VALUES ('kept@example.com', 'Kept', now())");
    const now = fingerprint(site.pg!, site.database!);
    const r = await run('restore', { 'backup-id': first, 'confirm-database': 'shop' });
    expect(r.conclusion).toBe('failure');
    expect(r.step('restore', 'restore').stdout).toMatch(
      new RegExp(`::error::refusing to restore: .*confirm with --confirm ${site.database}`),
    );
    expect(fingerprint(site.pg!, site.database!)).toEqual(now);
    const list = await run('list');
    expect(list.step('list', 'list').outputs.count).toBe('2');
  });
});
