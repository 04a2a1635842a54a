import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shown } from './helpers/cli.js';
import { deployEnv } from './helpers/deploy-env.js';
import { sandboxPart } from './helpers/sandbox.js';

describe('pulling from a registry that needs credentials', () => {
  const registry = sandboxPart('registry');
  const docker = sandboxPart('docker');
  const password = readFileSync(registry.passwordFile, 'utf8').trim();
  const image = `${registry.host}/runbook-test-app`;
  const env = deployEnv({ app: 'rbreg', ports: [18150, 18159], replicas: 1, image });
  const dockerCli = (...args: string[]) => {
    try {
      return execFileSync('docker', ['-H', docker.host, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch {
      return '';
    }
  };

  it("without credentials the pull fails with the registry's own message; with them it deploys, credentials masked", async () => {
    // Start from an engine that does not have the image, so the deploy must pull it.
    const stale = dockerCli('ps', '-aq', '--filter', 'label=io.runbook.app=rbreg').split('\n').filter(Boolean);
    if (stale.length > 0) dockerCli('rm', '-f', ...stale);
    dockerCli('rmi', `${image}:v2`);
    expect(dockerCli('image', 'inspect', `${image}:v2`)).toBe('');

    const anonymous = await env.deploy('v2');
    expect(anonymous.code).toBe(1);
    expect(anonymous.stdout).toMatch(/::error::.*(no basic auth credentials|unauthorized|authentication required)/i);

    const r = await env.deploy('v2', { 'registry-username': registry.user, 'registry-password': password });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain(`pulling ${image}:v2 as ${registry.user}`);
    expect(await env.served()).toBe('v2');
    const auth = Buffer.from(JSON.stringify({ username: registry.user, password, serveraddress: registry.host }));
    for (const secret of [password, Buffer.from(password).toString('base64'), auth.toString('base64url')]) {
      expect(shown(r.stdout)).not.toContain(secret);
    }
    expect(r.stdout).toContain(`::add-mask::${password}`);
  });
});

describe('a tag CI pushes again is deployed as pushed (pull: always, the default for a registry image)', () => {
  const registry = sandboxPart('registry');
  const docker = sandboxPart('docker');
  const password = readFileSync(registry.passwordFile, 'utf8').trim();
  const image = `${registry.host}/runbook-test-app`;
  // A tag of this run only: the registry is shared, its v2 and v3 stay as they are.
  const tag = `staging-${process.pid}`;
  const env = deployEnv({ app: 'rbrepush', ports: [18880, 18889], replicas: 1, image });
  const clientConfig = mkdtempSync(join(tmpdir(), 'repush-docker-'));
  const cli = (...args: string[]) =>
    execFileSync('docker', ['--config', clientConfig, '-H', docker.host, ...args], {
      encoding: 'utf8',
      input: args[0] === 'login' ? password : undefined,
    });
  /** Push the local image `runbook-test-app:<from>` to the registry as `<image>:<tag>`. */
  const push = (from: string) => {
    cli('tag', `runbook-test-app:${from}`, `${image}:${tag}`);
    cli('push', `${image}:${tag}`);
  };
  const creds = { 'registry-username': registry.user, 'registry-password': password };
  afterAll(() => {
    rmSync(clientConfig, { recursive: true, force: true });
  });

  it('deploys the tag, then the same tag pushed again: the new build serves and the journal records its digest', async () => {
    cli('login', '-u', registry.user, '--password-stdin', registry.host);
    push('v2');
    const first = await env.deploy(tag, creds);
    expect(first.code, first.stdout).toBe(0);
    expect(await env.served()).toBe('v2');
    push('v3'); // CI pushed a new build under the same tag…
    cli('tag', 'runbook-test-app:v2', `${image}:${tag}`); // …while the target's engine still holds the old one by it
    const again = await env.deploy(tag, creds);
    expect(again.code, again.stdout).toBe(0);
    expect(await env.served()).toBe('v3');
    expect(again.stdout).toMatch(/was pushed again/);
    const [a, b] = env.journal().releases.slice(-2);
    expect(a?.services.api?.imageId).not.toBe(b?.services.api?.imageId);
    expect(b?.services.api?.repoDigests?.[0]).toMatch(
      new RegExp(`^${image.replace(/\./g, '\\.')}@sha256:[0-9a-f]{64}$`),
    );
    cli('rmi', `${image}:${tag}`);
  });
});
