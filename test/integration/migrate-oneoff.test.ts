import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import { sandboxPart } from './helpers/sandbox.js';

describe('migrate in a one-off container of the service image (engine driver)', () => {
  it('runs the tool with the PG* connection and PGOPTIONS in its environment, then removes the container', async () => {
    const docker = sandboxPart('docker');
    const dir = mkdtempSync(join(tmpdir(), 'migrate-oneoff-'));
    const config = join(dir, 'runbook.yml');
    writeFileSync(
      config,
      `app: rbone
environments:
  sandbox:
    targets: [{ name: local, local: true, docker-socket: ${docker.socket} }]
    state-dir: ${dir}/state
services:
  api: { image: runbook-test-app }
database:
  engine: postgres
  via: { host: 127.0.0.1, port: 5433 }
  name: shop
  user: shop
  password-env: DB_PASSWORD
  backup: { directory: ${dir}/backups }
  migrate:
    tool: custom
    service: api
    lock-timeout: 1s
    custom:
      upgrade: [sh, -c, 'test -n "$PGPASSWORD" && echo "upgrading $PGUSER@$PGHOST:$PGPORT/$PGDATABASE with $PGOPTIONS"']
      current: [cat, /www/version]
`,
    );
    const r = await runStep('migrate', {
      inputs: { config, environment: 'sandbox', version: 'v2', 'allow-without-backup': 'true' },
      env: { DB_PASSWORD: 'one-off-secret-123' },
    });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain(
      'upgrading shop@127.0.0.1:5433/shop with -c lock_timeout=1000 -c statement_timeout=900000',
    );
    expect(r.outputs['revision-before']).toBe('v2');
    expect(r.outputs['revision-after']).toBe('v2');
    const left = execFileSync('docker', ['-H', docker.host, 'ps', '-aq', '--filter', 'name=rbone-sandbox-migrate'], {
      encoding: 'utf8',
    });
    expect(left.trim()).toBe('');
    expect(
      r.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
    ).not.toContain('one-off-secret-123');
  });
});
