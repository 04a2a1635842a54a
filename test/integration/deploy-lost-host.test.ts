/**
 * A host that stops answering mid-deploy (RELIABILITY #10, #11): the SSH connection goes through a TCP proxy that
 * the test freezes while the new replica is in its health gate. The deploy ends by itself with a clear error (SSH
 * keepalives), the post step releases the lock once the host answers again, and the next deploy marks the
 * interrupted release failed and goes on.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import { sandboxSsh } from './helpers/sandbox.js';
import { sandboxHost, tcpProxy } from './helpers/ssh.js';
import { sshTargetYaml } from './helpers/yaml.js';

describe('a host lost in the middle of a deploy', () => {
  const ssh = sandboxSsh();
  const dir = mkdtempSync(join(tmpdir(), 'deploy-lost-'));
  chmodSync(dir, 0o777);
  const config = join(dir, 'runbook.yml');
  let proxy: Awaited<ReturnType<typeof tcpProxy>>;
  let inputs: Record<string, string> = {};
  beforeAll(async () => {
    proxy = await tcpProxy(ssh.port);
    const [hostKey = ''] = sandboxHost().hostKeys;
    writeFileSync(
      config,
      `app: rblost
environments:
  sandbox:
    targets: [${sshTargetYaml({ port: proxy.port, options: 'connect-timeout: 3s, keepalive-interval: 500ms' })}]
    state-dir: ${dir}/state
services:
  api:
    image: runbook-test-app
    replicas: 1
    network: host
    host-ports: 18790-18799
    stop-grace: 2s
    health: { http: { path: /health, expect: { json: { status: ok } } }, interval: 300ms, deadline: 15s, stable: 5s }
`,
    );
    inputs = {
      config,
      environment: 'sandbox',
      'ssh-private-key': ssh.privateKey,
      'ssh-known-hosts': `[127.0.0.1]:${proxy.port} ${hostKey}\n`,
    };
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('the deploy ends by itself with the reason; the post step frees the lock; the next deploy goes on', async () => {
    const first = await runStep('deploy', { inputs: { ...inputs, version: 'v1' }, timeoutMs: 120_000 });
    expect(first.code, first.stdout).toBe(0);

    let frozen = false;
    const lost = await runStep('deploy', {
      inputs: { ...inputs, version: 'v2' },
      timeoutMs: 120_000,
      onSpawn: (child) => {
        child.stdout?.on('data', (d: Buffer) => {
          if (!frozen && d.toString().includes('healthy, watching for')) {
            frozen = true;
            proxy.freeze(); // the open connection goes silent; new ones still get through
          }
        });
      },
    });
    expect(frozen).toBe(true);
    expect(lost.signal).toBeNull(); // it ended on its own, not killed by the test's timeout
    expect(lost.code).toBe(1);
    expect(lost.stdout).toMatch(/::error::.*connection to .* was lost/);

    const post = await runStep('deploy', { inputs: { ...inputs, version: 'v2' }, state: lost.state });
    expect(post.code, post.stdout).toBe(0);
    expect(post.stdout).toMatch(/deploy lock for rblost\/sandbox released/);

    const again = await runStep('deploy', { inputs: { ...inputs, version: 'v2' }, timeoutMs: 120_000 });
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).not.toMatch(/waiting for the deploy lock/);
    expect(again.stdout).toMatch(/was left in progress by a run that died; marked failed/);
    const journal = JSON.parse(readFileSync(join(dir, 'state/sandbox/journal.json'), 'utf8')) as {
      releases: { version: string; status: string }[];
    };
    expect(journal.releases.map((r) => `${r.version}:${r.status}`)).toEqual(['v1:superseded', 'v2:failed', 'v2:live']);
  });
});
