import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
