/**
 * `runbook init --from-ssh`: the inputs and the CLI flag, and what fails before any connection is opened (a bad
 * address, a missing key or known_hosts, a file that exists). The survey itself: survey.test.ts, propose.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deployAction, initAction } from '../../../src/actions/catalog.js';
import { SCHEMA_URL, starterConfig } from '../../../src/actions/init.js';
import { runModule } from '../../../src/actions/module.js';
import { parseCliArgs } from '../../../src/cli/args.js';
import { loadConfig } from '../../../src/config/loader.js';
import { memoryRunner } from '../helpers/runner.js';

async function init(inputs: Record<string, string>) {
  const { runner, record } = memoryRunner(inputs, { mode: 'cli' });
  const ok = await runModule(initAction, { runner });
  return { ok, ...record };
}

const made: string[] = [];
/** A fresh directory, removed after the tests. */
const fresh = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-init-ssh-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nnot a real key\n-----END OPENSSH PRIVATE KEY-----\n';

describe('runbook init --from-ssh: inputs', () => {
  it('--from-ssh is a shorthand of the input; --env names the environment; the ssh inputs are the shared ones', () => {
    const args = parseCliArgs(
      [
        '--from-ssh',
        'deploy@203.0.113.10:2222',
        '--env',
        'staging',
        '--path',
        'x.yml',
        '--input',
        'nginx-conf=/srv/n.conf',
      ],
      initAction.inputs,
    );
    expect(Object.fromEntries(args.inputs)).toEqual({
      'from-ssh': 'deploy@203.0.113.10:2222',
      environment: 'staging',
      path: 'x.yml',
      'nginx-conf': '/srv/n.conf',
    });
    for (const name of ['ssh-private-key', 'ssh-private-key-passphrase', 'ssh-known-hosts', 'docker-socket']) {
      expect(initAction.inputs).toHaveProperty(name);
    }
    expect(initAction.inputs['ssh-private-key'].secret).toBe(true);
    expect(() => parseCliArgs(['--from-ssh', 'deploy@h'], deployAction.inputs)).toThrow(
      /^--from-ssh is not an input of this command/,
    );
  });

  it('refuses a bad address, a bad nginx-conf and an existing file before connecting', async () => {
    const dir = fresh();
    const path = join(dir, 'runbook.yml');
    expect((await init({ path, 'from-ssh': 'web1.example.com' })).failed[0]).toMatch(/^input "from-ssh": /);
    expect((await init({ path, 'from-ssh': 'deploy@-oProxyCommand=x' })).failed[0]).toBe(
      'input "from-ssh": "-oProxyCommand=x" is not a host name or address',
    );
    expect((await init({ path, 'from-ssh': 'deploy@h', 'nginx-conf': 'nginx.conf' })).failed[0]).toMatch(
      /^input "nginx-conf": "nginx.conf" is not valid: expected an absolute path/,
    );
    writeFileSync(path, 'app: mine\n');
    const r = await init({ path, 'from-ssh': 'deploy@127.0.0.1:9', 'ssh-private-key': KEY, 'ssh-known-hosts': '' });
    expect(r.failed).toEqual([`${path} already exists; keep it, or overwrite it with --force`]);
    expect(readFileSync(path, 'utf8')).toBe('app: mine\n');
  });

  it('needs the key and pinned host keys as every action does', async () => {
    const path = join(fresh(), 'runbook.yml');
    expect((await init({ path, 'from-ssh': 'deploy@127.0.0.1:9' })).failed[0]).toMatch(
      /uses SSH: the input "ssh-private-key" is required/,
    );
    expect((await init({ path, 'from-ssh': 'deploy@127.0.0.1:9', 'ssh-private-key': KEY })).failed[0]).toMatch(
      /the input "ssh-known-hosts" is required to pin its host key/,
    );
  });

  it('without from-ssh, init writes the starter as before; --env names its environment', async () => {
    const dir = fresh();
    const path = join(dir, 'shop', 'runbook.yml');
    const r = await init({ path });
    expect(r.ok).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(starterConfig({ schema: SCHEMA_URL, app: 'shop' }));
    const staging = join(dir, 'staging.yml');
    expect((await init({ path: staging, environment: 'staging', app: 'shop' })).ok).toBe(true);
    const config = await loadConfig(staging);
    expect(Object.keys(config.environments)).toEqual(['staging']);
    expect(readFileSync(staging, 'utf8')).toContain('--env staging --dry-run');
  });
});
