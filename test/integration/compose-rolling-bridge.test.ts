/**
 * A compose app on its own bridge networks (compose's default for most teams), rolled replica by replica on the
 * sandbox: each replica publishes the service's port on 127.0.0.1 at its own host port (the file's `ports:` are
 * replaced), joins both networks the file names, and answers there to the service's name, so the other services of
 * the project keep reaching it as `http://app:8080` whichever release serves. Under ~100 req/s through nginx:
 * v1 → v2 → rollback, 0 failed requests.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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
const APP = `rbcb${RUN}`;

describe('compose app on bridge networks, rolling (docker-compose 1.29) behind nginx', async () => {
  const docker = sandboxPart('docker');
  const nginx = sandboxPart('nginx');
  const [low, high] = await freePortRange(6);
  const dir = mkdtempSync(join(tmpdir(), 'compose-bridge-'));
  const site = join(dir, 'site');
  mkdirSync(site);
  writeFileSync(
    join(site, 'docker-compose.yml'),
    `version: "2.4"
services:
  app:
    image: runbook-test-app:\${APP_VERSION:-v1}
    environment: { BIND: 0.0.0.0, PORT: "8080" }
    ports: ["127.0.0.1:18999:8080"]
    networks:
      front: {}
      back: { aliases: [api] }
  worker:
    image: runbook-test-app:v1
    environment: { PORT: "8080" }
    networks: [back]
networks:
  front: {}
  back: {}
`,
  );
  const config = join(dir, 'runbook.yml');
  writeFileSync(
    config,
    `app: ${APP}
environments:
  sandbox:
    targets: [{ name: local, local: true, docker-socket: ${docker.socket}, env: { DOCKER_HOST: "${docker.host}" } }]
    state-dir: ${join(dir, 'state')}
compose:
  command: [docker-compose]
  directory: ${site}
  project: ${APP}
  version-env: APP_VERSION
services:
  app:
    image: runbook-test-app
    replicas: 2
    port: 8080
    host-ports: ${low}-${high}
    health: { http: { path: /health, expect: { status: 200 } }, interval: 300ms, deadline: 15s, stable: 1s }
strategy:
  type: rolling
  max-surge: 1
  drain: 300ms
  prune-images: false
${nginxProxyYaml(nginx)}`,
  );
  const step = (name: string, inputs: Record<string, string>): Promise<StepResult> =>
    runStep(name, { inputs: { config, environment: 'sandbox', ...inputs }, timeoutMs: 180_000 });
  const dockerCli = dockerAt(docker.host);
  const replicas = () => appContainers(docker.host, APP);
  /** What the project's worker gets when it asks for the service by name on the back network. */
  const fromWorker = (host: string) => {
    const worker = dockerCli('ps', '-q', '--filter', `label=com.docker.compose.project=${APP}`);
    return dockerCli('exec', worker, 'wget', '-q', '-O-', `http://${host}:8080/version`);
  };
  const served = () => fetchText(`http://127.0.0.1:${nginx.port}/version`);
  let load: ReturnType<typeof startLoad> | undefined;

  afterAll(() => removeApp(docker.host, APP, { project: APP, cwd: site }));

  it('v1: replicas publish 8080 on their own host ports, join both networks, answer to app and api', async () => {
    freshSandboxUpstream(nginx);
    // The worker runs as compose runs it (a team's other service); the deploy leaves it alone.
    execFileSync('docker-compose', ['-p', APP, 'up', '-d', 'worker'], {
      cwd: site,
      env: { ...process.env, DOCKER_HOST: docker.host },
      stdio: 'ignore',
    });
    const r = await step('deploy', { version: 'v1' });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('ports of the compose file is replaced per replica');
    const ids = replicas();
    expect(ids).toHaveLength(2);
    for (const id of ids) {
      const nets = JSON.parse(dockerCli('inspect', '--format', '{{json .NetworkSettings.Networks}}', id)) as Record<
        string,
        { Aliases: string[] | null }
      >;
      expect(Object.keys(nets).sort()).toEqual([`${APP}_back`, `${APP}_front`]);
      expect(nets[`${APP}_back`]?.Aliases).toEqual(expect.arrayContaining(['app', 'api']));
      const ports = dockerCli('port', id, '8080/tcp');
      expect(ports).toMatch(/^127\.0\.0\.1:\d+$/);
      const port = Number(ports.split(':')[1]);
      expect(port >= low && port <= high).toBe(true);
    }
    expect(await served()).toBe('v1');
    expect(fromWorker('app')).toBe('v1');
    expect(fromWorker('api')).toBe('v1');
    load = startLoad(`http://127.0.0.1:${nginx.port}/version`, { workers: 4, ratePerSecond: 100 });
  });

  it('v2 under load: nginx and the worker (by name) reach v2; the old replicas are kept, stopped', async () => {
    const r = await step('deploy', { version: 'v2' });
    expect(r.code, r.stdout).toBe(0);
    expect(await served()).toBe('v2');
    expect(fromWorker('app')).toBe('v2');
    expect(replicas()).toHaveLength(2);
  });

  it('rollback under load: v1 again, by name too; 0 failed requests through the deploy and the rollback', async () => {
    const r = await step('rollback', {});
    expect(r.code, r.stdout).toBe(0);
    expect(await served()).toBe('v1');
    expect(fromWorker('app')).toBe('v1');
    const result = await (load as NonNullable<typeof load>).stop();
    expect(result.failed, result.failures.join('\n')).toBe(0);
    expect(result.requests).toBeGreaterThan(200);
  });
});
