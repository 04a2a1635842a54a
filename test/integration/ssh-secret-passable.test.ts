/**
 * A database password that cannot be passed to pg_dump / psql (a trailing newline saved with the secret, a NUL) is
 * caught by pre-deploy-check, naming the configured variable and its setting — not discovered mid-backup as an
 * "internal error" naming PGPASSWORD. The committed bundle runs as the Actions runner runs it.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import { sandboxSsh } from './helpers/sandbox.js';

const dir = mkdtempSync(join(tmpdir(), 'ssh-secret-passable-'));
chmodSync(dir, 0o755);
mkdirSync(join(dir, 'state'), { mode: 0o777 });
chmodSync(join(dir, 'state'), 0o777);
const ssh = sandboxSsh();

function config(): string {
  const path = join(dir, 'runbook.yml');
  writeFileSync(
    path,
    `app: shop
environments:
  sandbox:
    state-dir: ${join(dir, 'state')}
    targets: [{ name: web1, ssh: { host: 127.0.0.1, port: ${ssh.port}, user: ${ssh.user}, connect-timeout: 3s } }]
database:
  engine: postgres
  via: { host: 127.0.0.1, port: 5432 }
  name: shop
  user: shop
  password-env: SHOP_DB_PASSWORD
checks:
  min-free-disk: 1%
  disk-paths: [/tmp]
  docker: false
  compose: false
`,
  );
  return path;
}

const inputs = () => ({
  environment: 'sandbox',
  config: config(),
  'ssh-private-key': ssh.privateKey,
  'ssh-known-hosts': ssh.knownHosts,
});

interface Report {
  checks: { target: string; check: string; status: string; detail: string }[];
}

describe('pre-deploy-check: a database password that cannot be passed', () => {
  it.each([
    [
      'ends in a newline',
      'pg-pass-123456\n',
      'ends in a line break (usually saved with the secret by mistake): store the secret without it',
    ],
    ['holds a line break', 'pg-pass\n123456', 'contains a line break, which cannot be passed to a remote command'],
  ])('%s: fails naming SHOP_DB_PASSWORD (database.password-env), never the value', async (_, value, problem) => {
    const r = await runStep('pre-deploy-check', { inputs: inputs(), env: { SHOP_DB_PASSWORD: value } });
    expect(r.code, r.stdout).toBe(1);
    const report = JSON.parse(r.outputs.report ?? '{}') as Report;
    expect(report.checks.find((c) => c.check === 'secret SHOP_DB_PASSWORD')).toEqual({
      target: '*',
      check: 'secret SHOP_DB_PASSWORD',
      status: 'fail',
      detail: `environment variable SHOP_DB_PASSWORD (database.password-env) ${problem}`,
    });
    // The value reaches the runner only in its ::add-mask:: commands.
    const shown = r.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(shown).not.toMatch(/internal error|PGPASSWORD/);
    expect(shown).not.toContain('123456');
    expect(r.outputs.report).not.toContain('123456');
  });

  it('a password without a line break passes that check', async () => {
    const r = await runStep('pre-deploy-check', { inputs: inputs(), env: { SHOP_DB_PASSWORD: 'pg-pass-123456' } });
    const report = JSON.parse(r.outputs.report ?? '{}') as Report;
    expect(report.checks.find((c) => c.check === 'secret SHOP_DB_PASSWORD')?.status, r.stdout).toBe('pass');
  });
});
