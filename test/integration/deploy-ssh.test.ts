import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import { sandboxSsh } from './helpers/sandbox.js';
import { sshTargetYaml } from './helpers/yaml.js';

describe('deploy to an ssh target: the Docker socket tunnelled through the SSH connection', () => {
  const ssh = sandboxSsh();
  const dir = mkdtempSync(join(tmpdir(), 'deploy-ssh-'));
  chmodSync(dir, 0o777); // the state directory is written by the sandbox's SSH user
  const config = join(dir, 'runbook.yml');
  writeFileSync(
    config,
    `app: rbssh
environments:
  sandbox:
    targets: [${sshTargetYaml()}]
    state-dir: ${dir}/state
services:
  api:
    image: runbook-test-app
    replicas: 1
    network: host
    host-ports: 18140-18149
    stop-grace: 3s
    health: { http: { path: /health, expect: { json: { status: ok } } }, interval: 300ms, deadline: 15s, stable: 500ms }
`,
  );
  const inputs = {
    config,
    environment: 'sandbox',
    'ssh-private-key': ssh.privateKey,
    'ssh-known-hosts': ssh.knownHosts,
  };

  it('deploys v1 then v2 over SSH; the journal lives on the target; the old replica is stopped and kept', async () => {
    const one = await runStep('deploy', { inputs: { ...inputs, version: 'v1' } });
    expect(one.code, one.stdout).toBe(0);
    const two = await runStep('deploy', { inputs: { ...inputs, version: 'v2' } });
    expect(two.code, two.stdout).toBe(0);
    expect(two.outputs['previous-version']).toBe('v1');
    const journal = JSON.parse(readFileSync(join(dir, 'state/sandbox/journal.json'), 'utf8'));
    expect(journal.releases.map((r: { version: string; status: string }) => `${r.version}:${r.status}`)).toEqual([
      'v1:superseded',
      'v2:live',
    ]);
    const port = journal.releases[1].services.api.replicas[0].port;
    const res = await request(`http://127.0.0.1:${port}/version`);
    expect((await res.body.text()).trim()).toBe('v2');
    expect(two.stdout).toMatch(/stopped rbssh-sandbox-api-.*-v1-0 \(kept for rollback\)/);
  });
});
