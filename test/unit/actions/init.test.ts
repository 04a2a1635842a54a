/** `runbook init`: writes the commented starter, validated by the loader; never overwrites without force. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initAction } from '../../../src/actions/declare/init.js';
import { appNameFrom, SCHEMA_URL, starterConfig } from '../../../src/actions/init.js';
import { runModule } from '../../../src/actions/module.js';
import { parseCliArgs } from '../../../src/cli/args.js';
import { commands } from '../../../src/cli/commands.js';
import { loadConfig, parseConfig } from '../../../src/config/loader.js';
import { memoryRunner } from '../helpers/runner.js';

const fresh = (name = 'my-shop') => {
  const dir = join(mkdtempSync(join(tmpdir(), 'runbook-init-')), name);
  mkdirSync(dir);
  return dir;
};

async function init(inputs: Record<string, string>) {
  const { runner, record } = memoryRunner(inputs, { mode: 'cli' });
  const ok = await runModule(initAction, { runner });
  return { ok, ...record };
}

describe('runbook init', () => {
  it('is a terminal-only command of the CLI that needs no environment', () => {
    expect(commands.init).toBe(initAction);
    expect(initAction.cliOnly).toBe(true);
    expect(Object.keys(initAction.inputs).sort()).toEqual([
      'app',
      'compose-project',
      'docker-socket',
      'environment',
      'force',
      'from-ssh',
      'nginx-conf',
      'path',
      'ssh-insecure-ignore-host-key',
      'ssh-known-hosts',
      'ssh-private-key',
      'ssh-private-key-passphrase',
    ]);
    const args = parseCliArgs(['--input', 'path=deploy/runbook.yml', '--input', 'force=true'], initAction.inputs);
    expect(Object.fromEntries(args.inputs)).toEqual({ path: 'deploy/runbook.yml', force: 'true' });
  });

  it('writes the starter, named after the directory, that the loader accepts', async () => {
    const dir = fresh('My_Shop');
    const path = join(dir, 'runbook.yml');
    const r = await init({ path });
    expect(r.failed).toEqual([]);
    expect(r.ok).toBe(true);
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(starterConfig({ schema: SCHEMA_URL, app: 'my-shop' }));
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${SCHEMA_URL}`);
    const config = await loadConfig(path);
    expect(config).toMatchObject({ app: 'my-shop', database: { name: 'my-shop' } });
    expect(config.strategy.proxy?.nginx.upstream).toBe('my_shop_api');
    expect(r.outputs.get('path')).toBe(path);
    expect(r.lines.join('\n')).toContain(`runbook pre-deploy-check --config ${path} --env production --dry-run`);
  });

  it('takes the app name from the app input and creates missing directories', async () => {
    const path = join(fresh(), 'deploy', 'prod', 'runbook.yml');
    const r = await init({ path, app: 'notes' });
    expect(r.ok).toBe(true);
    await expect(loadConfig(path)).resolves.toMatchObject({ app: 'notes', compose: { directory: '/opt/notes' } });
  });

  it('refuses to overwrite an existing file, and leaves it as it was', async () => {
    const path = join(fresh(), 'runbook.yml');
    writeFileSync(path, 'app: mine\n');
    const r = await init({ path });
    expect(r.ok).toBe(false);
    expect(r.failed).toEqual([`${path} already exists; keep it, or overwrite it with --force`]);
    expect(readFileSync(path, 'utf8')).toBe('app: mine\n');
  });

  it('overwrites it with force', async () => {
    const path = join(fresh(), 'runbook.yml');
    writeFileSync(path, 'app: mine\n');
    const r = await init({ path, force: 'true', app: 'shop' });
    expect(r.ok).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(starterConfig({ schema: SCHEMA_URL, app: 'shop' }));
  });

  it('says what is wrong with a bad input or a path that is a directory', async () => {
    const dir = fresh();
    expect((await init({ path: dir, force: 'true' })).failed[0]).toBe(`${dir} is a directory; name a file with --path`);
    writeFileSync(join(dir, 'file'), '');
    expect((await init({ path: join(dir, 'file', 'x.yml') })).failed[0]).toMatch(/^cannot write .*file\/x\.yml: /);
    expect((await init({ path: join(dir, 'x.yml'), app: 'My App' })).failed[0]).toMatch(/^input "app": "My App"/);
    expect((await init({ path: join(dir, 'x.yml'), force: 'yes' })).failed[0]).toMatch(/^input "force"/);
  });

  it('writes a valid starter for any app name the input accepts', () => {
    for (const app of ['a', 'shop', '3d-print', '9'.repeat(63), 'a-b-c']) {
      const config = parseConfig(starterConfig({ schema: SCHEMA_URL, app }), 'runbook.yml');
      expect(config.app).toBe(app);
      expect(appNameFrom(`/srv/${app}`)).toBe(app);
    }
    expect(appNameFrom('/srv/--Weird Name!--')).toBe('weird-name');
    expect(appNameFrom('/')).toBeUndefined();
  });
});
