import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import { REPO_ROOT, sandboxPart } from './helpers/sandbox.js';
import { databaseYaml } from './helpers/yaml.js';

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
${databaseYaml({ port: 5433, name: 'shop', user: 'shop', backup: `{ directory: ${dir}/backups }` })}  migrate:
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

describe('migrate with compose run --rm (docker-compose 1.29)', () => {
  it('passes the connection by name (-e NAME) so values never appear in argv, and removes the container', async () => {
    const docker = sandboxPart('docker');
    const dir = mkdtempSync(join(tmpdir(), 'migrate-compose-'));
    const config = join(dir, 'runbook.yml');
    writeFileSync(
      config,
      `app: rbcrun
environments:
  sandbox:
    targets: [{ name: local, local: true, env: { DOCKER_HOST: "${docker.host}", APP_VERSION: v1 } }]
    state-dir: ${dir}/state
compose:
  command: [docker-compose]
  directory: ${join(REPO_ROOT, 'test/fixtures/compose')}
  project: rbcrun
  pull: false
services:
  app: { image: runbook-test-app }
${databaseYaml({ port: 5433, name: 'shop', user: 'shop', backup: `{ directory: ${dir}/backups }` })}  migrate:
    tool: custom
    service: app
    custom:
      upgrade: [sh, -c, 'test "$PGPASSWORD" = compose-secret-456 && echo "upgrading $PGDATABASE with $PGOPTIONS"']
      current: [cat, /www/version]
`,
    );
    const oneOffs = () =>
      execFileSync('docker', ['-H', docker.host, 'ps', '-aq', '--filter', 'label=com.docker.compose.project=rbcrun'], {
        encoding: 'utf8',
      })
        .split('\n')
        .filter(Boolean);
    const stale = oneOffs(); // left by an interrupted earlier run, if any
    if (stale.length > 0) execFileSync('docker', ['-H', docker.host, 'rm', '-f', ...stale]);
    const r = await runStep('migrate', {
      inputs: { config, environment: 'sandbox', 'allow-without-backup': 'true' },
      env: { DB_PASSWORD: 'compose-secret-456' },
    });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('upgrading shop with -c lock_timeout=5000 -c statement_timeout=900000');
    expect(r.outputs['revision-after']).toBe('v1');
    const left = execFileSync(
      'docker',
      ['-H', docker.host, 'ps', '-aq', '--filter', 'label=com.docker.compose.project=rbcrun'],
      {
        encoding: 'utf8',
      },
    );
    expect(left.trim()).toBe('');
  });
});
