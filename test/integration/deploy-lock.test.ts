import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import { runCli } from './helpers/cli.js';
import { deployEnv } from './helpers/deploy-env.js';

const RUN_ENV = {
  GITHUB_RUN_ID: '4242',
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_SERVER_URL: 'https://github.example',
  GITHUB_ACTOR: 'alice',
};

const cli = (args: string[]) => runCli(args);

describe('one deploy at a time', () => {
  const env = deployEnv({ app: 'rblock', ports: [18120, 18129], replicas: 1, stable: '4s' });

  it('a second deploy waits for lock-wait, then fails naming the holder; the first one succeeds', async () => {
    const first = env.deploy('v1', {}, RUN_ENV);
    await new Promise((r) => setTimeout(r, 1500));
    const second = await env.deploy('v2', { 'lock-wait': '2s' });
    expect(second.code).toBe(1);
    expect(second.stdout).toMatch(
      /waiting for the deploy lock held by https:\/\/github\.example\/acme\/shop\/actions\/runs\/4242/,
    );
    expect(second.stdout).toMatch(
      /::error::another deploy holds the lock for rblock\/sandbox: https:\/\/github\.example\/acme\/shop\/actions\/runs\/4242 \(actor alice/,
    );
    const r = await first;
    expect(r.code, r.stdout).toBe(0);
    expect(env.journal().releases.map((x) => `${x.version}:${x.status}`)).toEqual(['v1:live']);
  });

  it('a deploy killed with SIGKILL leaves the lock; status explains it; the post step or unlock frees it', async () => {
    let killed = false;
    const r = await runStep('deploy', {
      inputs: { config: env.config, environment: 'sandbox', version: 'v2' },
      env: RUN_ENV,
      onSpawn: (child) => {
        child.stdout?.on('data', (d: Buffer) => {
          if (!killed && d.toString().includes('started rblock-sandbox-api')) {
            killed = true;
            child.kill('SIGKILL');
          }
        });
      },
    });
    expect(r.signal).toBe('SIGKILL');
    const status = await cli(['status', '--config', env.config, '--env', 'sandbox']);
    expect(status.code).toBe(0);
    expect(status.out).toMatch(
      /lock: HELD by https:\/\/github\.example\/acme\/shop\/actions\/runs\/4242 \(actor alice, since .*, expires .*\)/,
    );
    expect(status.out).toMatch(/runbook unlock/);
    expect(status.out).toMatch(/-v2 +v2 +in-progress/);

    // The runner's post step (post-if: always()) releases the lease main took.
    const post = await runStep('deploy', {
      inputs: { config: env.config, environment: 'sandbox', version: 'v2' },
      env: RUN_ENV,
      state: r.state,
    });
    expect(post.code, post.stdout).toBe(0);
    expect(post.stdout).toContain('deploy lock for rblock/sandbox released');
    expect((await cli(['status', '--config', env.config, '--env', 'sandbox'])).out).toMatch(/lock: free/);
  });

  it('runbook unlock removes a lock whose run is gone, saying whose it was and why', async () => {
    const r = await runStep('deploy', {
      inputs: { config: env.config, environment: 'sandbox', version: 'v2' },
      env: RUN_ENV,
      onSpawn: (child) => {
        child.stdout?.on('data', (d: Buffer) => {
          if (d.toString().includes('deploy lock for rblock/sandbox taken')) child.kill('SIGKILL');
        });
      },
    });
    expect(r.signal).toBe('SIGKILL');
    const unlock = await cli(['unlock', '--config', env.config, '--env', 'sandbox', '--reason', 'runner died']);
    expect(unlock.code, unlock.out).toBe(0);
    expect(unlock.out).toMatch(
      /removed the deploy lock of rblock\/sandbox held by https:\/\/github\.example.*reason: runner died/,
    );
    const next = await env.deploy('v2');
    expect(next.code, next.stdout).toBe(0);
  });
});

describe('bad versions are rejected before any connection', () => {
  it.each([['v1;id'], ['$(id)'], ['v1\nv2'], ['a'.repeat(129)], ['-v1'], ['.hidden']])('%j', async (version) => {
    let connections = 0;
    const server = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const env = deployEnv({ app: 'rbbad', ports: [18130, 18139] });
    const { writeFileSync, readFileSync } = await import('node:fs');
    writeFileSync(
      env.config,
      readFileSync(env.config, 'utf8').replace(
        /targets: \[.*\]/,
        `targets: [{ name: x, ssh: { host: 127.0.0.1, port: ${port}, user: u } }]`,
      ),
    );
    const r = await env.deploy(version);
    server.close();
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
      expect.stringMatching(/^::error::input "version": .* is not valid: expected an image tag/),
    ]);
    expect(connections).toBe(0);
  });
});
