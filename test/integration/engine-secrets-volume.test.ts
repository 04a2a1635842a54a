/**
 * An engine service that carries what a real app needs, deployed on the sandbox under ~100 req/s through nginx: a
 * secret from the runner's environment (secret-env), an env file kept on the target, a named volume and a bind
 * mount. v1 → v2 → rollback, 0 failed requests; the volume's data survives; the secrets reach the containers and no
 * output of any step, nor the journal.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runStep, type StepResult } from './helpers/action-runner.js';
import { startLoad } from './helpers/load.js';
import { freePortRange } from './helpers/ports.js';
import { sandboxPart } from './helpers/sandbox.js';
import { appContainers, dockerAt, fetchText, removeApp } from './helpers/sandbox-docker.js';
import { freshSandboxUpstream, nginxProxyYaml } from './helpers/yaml.js';

const RUN = randomBytes(3).toString('hex');
const APP = `rbes${RUN}`;
const VOLUME = `${APP}-data`;
const RUNNER_SECRET = `runner-secret-${randomBytes(8).toString('hex')}`;
const FILE_SECRET = `file-secret-${randomBytes(8).toString('hex')}`;

describe('engine service with secret-env, an env file, a named volume and a bind mount, behind nginx', async () => {
  const docker = sandboxPart('docker');
  const nginx = sandboxPart('nginx');
  const [low, high] = await freePortRange(6);
  const dir = mkdtempSync(join(tmpdir(), 'engine-secrets-'));
  const shared = join(dir, 'shared');
  mkdirSync(shared);
  chmodSync(shared, 0o755);
  writeFileSync(join(shared, 'motd'), `hello ${RUN}\n`);
  const envFile = join(dir, 'app.env');
  writeFileSync(envFile, `# on the server only\nSMTP_PASSWORD=${FILE_SECRET}\n`);
  const stateDir = join(dir, 'state');
  const config = join(dir, 'runbook.yml');
  writeFileSync(
    config,
    `app: ${APP}
environments:
  sandbox:
    targets: [{ name: local, local: true, docker-socket: ${docker.socket} }]
    state-dir: ${stateDir}
services:
  api:
    image: runbook-test-app
    replicas: 2
    network: host
    host-ports: ${low}-${high}
    stop-grace: 3s
    env: { LOG_LEVEL: info }
    secret-env: { APP_SECRET: RB_TEST_APP_SECRET }
    env-file: ${envFile}
    volumes: [${VOLUME}:/data, ${shared}:/shared:ro]
    health: { http: { path: /health, expect: { status: 200 } }, interval: 300ms, deadline: 15s, stable: 1s }
strategy:
  type: rolling
  max-surge: 1
  drain: 300ms
  prune-images: false
${nginxProxyYaml(nginx)}`,
  );
  const outputs: string[] = [];
  const step = async (name: string, inputs: Record<string, string>): Promise<StepResult> => {
    const r = await runStep(name, {
      inputs: { config, environment: 'sandbox', ...inputs },
      env: { RB_TEST_APP_SECRET: RUNNER_SECRET },
      timeoutMs: 180_000,
    });
    outputs.push(r.stdout, r.stderr, JSON.stringify(r.outputs));
    return r;
  };
  const dockerCli = dockerAt(docker.host);
  const running = () => appContainers(docker.host, APP);
  const served = () => fetchText(`http://127.0.0.1:${nginx.port}/version`);
  let load: ReturnType<typeof startLoad> | undefined;

  afterAll(() => {
    removeApp(docker.host, APP);
    dockerCli('volume', 'rm', '-f', VOLUME);
  });

  it('v1: each replica has the runner secret, the env file, the volume and the bind mount', async () => {
    freshSandboxUpstream(nginx);
    const r = await step('deploy', { version: 'v1' });
    expect(r.code, r.stdout).toBe(0);
    const ids = running();
    expect(ids).toHaveLength(2);
    for (const id of ids) {
      const env = JSON.parse(dockerCli('inspect', '--format', '{{json .Config.Env}}', id)) as string[];
      expect(env).toEqual(
        expect.arrayContaining([`APP_SECRET=${RUNNER_SECRET}`, `SMTP_PASSWORD=${FILE_SECRET}`, 'LOG_LEVEL=info']),
      );
      expect(dockerCli('exec', id, 'cat', '/shared/motd')).toBe(`hello ${RUN}`);
    }
    dockerCli('exec', ids[0] ?? '', 'sh', '-c', `echo kept-${RUN} > /data/marker`);
    expect(await served()).toBe('v1');
    load = startLoad(`http://127.0.0.1:${nginx.port}/version`, { workers: 4, ratePerSecond: 100 });
  });

  it('v2 under load: the volume still holds what v1 wrote', async () => {
    const r = await step('deploy', { version: 'v2' });
    expect(r.code, r.stdout).toBe(0);
    expect(await served()).toBe('v2');
    for (const id of running()) expect(dockerCli('exec', id, 'cat', '/data/marker')).toBe(`kept-${RUN}`);
  });

  it('rollback under load: v1 serves again; 0 failed requests through the deploy and the rollback', async () => {
    const r = await step('rollback', {});
    expect(r.code, r.stdout).toBe(0);
    expect(await served()).toBe('v1');
    const result = await (load as NonNullable<typeof load>).stop();
    expect(result.failed, result.failures.join('\n')).toBe(0);
    expect(result.requests).toBeGreaterThan(200);
  });

  it('neither secret is in any output of any step, nor in the journal', () => {
    const all = outputs.join('\n');
    const journal = readFileSync(join(stateDir, 'sandbox', 'journal.json'), 'utf8');
    for (const secret of [RUNNER_SECRET, FILE_SECRET]) {
      expect(all.replaceAll(`::add-mask::${secret}`, '')).not.toContain(secret);
      expect(journal).not.toContain(secret);
    }
  });
});
