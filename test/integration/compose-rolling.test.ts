/**
 * A compose app rolled replica by replica on the sandbox (docker-compose 1.29, dockerd, nginx), laid out as a team
 * would have it: its secrets in an env file beside the compose file, a named volume holding data, a healthcheck, a
 * dependency (depends_on) the deploy must start but never recreate. Under ~100 req/s through nginx: v1 → v2 → a v3
 * that never gets healthy → rollback, 0 failed requests; the volume's data survives every step; the secret reaches
 * the containers and no output of any step, nor the journal.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
const APP = `rbcr${RUN}`;
const PROJECT = `rbcr${RUN}`;
const SECRET = `cr-secret-${randomBytes(8).toString('hex')}`;

describe('compose app, rolling replica by replica (docker-compose 1.29) behind nginx', async () => {
  const docker = sandboxPart('docker');
  const nginx = sandboxPart('nginx');
  const [low, high] = await freePortRange(7);
  const cachePort = high; // the dependency's port; the replicas take low … high - 1
  const dir = mkdtempSync(join(tmpdir(), 'compose-rolling-'));
  const site = join(dir, 'site');
  mkdirSync(site);
  // The team's compose file: the app on the host network (PORT from the environment), a cache it depends on.
  writeFileSync(
    join(site, 'docker-compose.yml'),
    `version: "2.4"
services:
  app:
    image: runbook-test-app:\${APP_VERSION:-v1}
    network_mode: host
    env_file: [app.env]
    environment:
      MODE: prod
      PORT: "8080"
    volumes: [appdata:/data]
    healthcheck:
      test: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:$\${PORT}/health || exit 1"]
      interval: 1s
      timeout: 1s
      retries: 2
    stop_grace_period: 3s
    labels: { com.example.team: shop }
    depends_on: [cache]
  cache:
    image: runbook-test-app:v1
    network_mode: host
    environment: { PORT: "${cachePort}" }
volumes:
  appdata: {}
`,
  );
  writeFileSync(join(site, 'app.env'), `# the app's secrets, kept on the server\nAPP_SECRET=${SECRET}\n`);
  const stateDir = join(dir, 'state');
  const config = join(dir, 'runbook.yml');
  writeFileSync(
    config,
    `app: ${APP}
environments:
  sandbox:
    targets: [{ name: local, local: true, docker-socket: ${docker.socket}, env: { DOCKER_HOST: "${docker.host}" } }]
    state-dir: ${stateDir}
compose:
  command: [docker-compose]
  directory: ${site}
  project: ${PROJECT}
  version-env: APP_VERSION
services:
  app:
    image: runbook-test-app
    replicas: 2
    network: host
    host-ports: ${low}-${high - 1}
    health: { container: true, interval: 300ms, deadline: 12s, stable: 1s }
strategy:
  type: rolling
  max-surge: 1
  drain: 300ms
  prune-images: false
${nginxProxyYaml(nginx)}`,
  );
  const outputs: string[] = [];
  const step = async (name: string, inputs: Record<string, string>): Promise<StepResult> => {
    const r = await runStep(name, { inputs: { config, environment: 'sandbox', ...inputs }, timeoutMs: 180_000 });
    outputs.push(r.stdout, r.stderr, JSON.stringify(r.outputs));
    return r;
  };
  const dockerCli = dockerAt(docker.host);
  /** The running replicas of the app: id, the version they serve, their env. */
  const replicas = () =>
    appContainers(docker.host, APP).map((id) => ({
      id,
      release: dockerCli('inspect', '--format', '{{index .Config.Labels "io.runbook.release"}}', id),
      env: JSON.parse(dockerCli('inspect', '--format', '{{json .Config.Env}}', id)) as string[],
      health: JSON.parse(dockerCli('inspect', '--format', '{{json .Config.Healthcheck}}', id)) as { Test: string[] },
    }));
  const served = () => fetchText(`http://127.0.0.1:${nginx.port}/version`);
  const journalText = () => readFileSync(join(stateDir, 'sandbox', 'journal.json'), 'utf8');
  const load = { current: undefined as ReturnType<typeof startLoad> | undefined };

  afterAll(() => removeApp(docker.host, APP, { project: PROJECT, cwd: site }));

  it('v1: the dependency started, the volume made by the name compose gives it, replicas on their own ports', async () => {
    freshSandboxUpstream(nginx);
    const r = await step('deploy', { version: 'v1' });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain(`created volume ${PROJECT}_appdata`);
    expect(r.stdout).toContain('starting its dependencies if they are not running: cache');
    expect(
      dockerCli(
        'ps',
        '-q',
        '--filter',
        `label=com.docker.compose.project=${PROJECT}`,
        '--filter',
        'label=com.docker.compose.service=cache',
      ),
    ).not.toBe('');
    const rs = replicas();
    expect(rs).toHaveLength(2);
    for (const x of rs) {
      expect(x.env).toContain(`APP_SECRET=${SECRET}`);
      expect(x.env).toContain('MODE=prod');
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the container's shell expands ${PORT}, not JS
      expect(x.health.Test).toEqual(['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:${PORT}/health || exit 1']);
    }
    const ports = rs.map((x) => Number(x.env.find((e) => e.startsWith('PORT='))?.slice(5))).sort();
    expect(ports.every((p) => p >= low && p < high)).toBe(true);
    expect(new Set(ports).size).toBe(2);
    expect(readFileSync(nginx.upstreamFile, 'utf8')).toContain(`server 127.0.0.1:${ports[0]}`);
    expect(await served()).toBe('v1');
    // Data written by v1 into the named volume.
    dockerCli('exec', rs[0]?.id ?? '', 'sh', '-c', `echo kept-${RUN} > /data/marker`);
    // From here on, ~100 req/s through nginx until the rollback is done.
    load.current = startLoad(`http://127.0.0.1:${nginx.port}/version`, { workers: 4, ratePerSecond: 100 });
  });

  it('v2 rolls in under load; the volume still holds v1 data; the journal records the compose release', async () => {
    const r = await step('deploy', { version: 'v2' });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/app starts runbook-test-app:v2 → sha256:[0-9a-f]{12}/);
    expect(await served()).toBe('v2');
    const rs = replicas();
    expect(rs).toHaveLength(2);
    for (const x of rs) expect(dockerCli('exec', x.id, 'cat', '/data/marker')).toBe(`kept-${RUN}`);
    const j = JSON.parse(journalText());
    expect(j.releases.at(-1)).toMatchObject({ version: 'v2', status: 'live', driver: 'compose', strategy: 'rolling' });
    expect(j.releases.at(-1).services.app.imageId).toBe(
      dockerCli('image', 'inspect', '--format', '{{.Id}}', 'runbook-test-app:v2'),
    );
  });

  it('v3 never gets healthy: the deploy fails and v2 keeps serving', async () => {
    const r = await step('deploy', { version: 'never-healthy' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('deploy failed; putting back what served before');
    expect(await served()).toBe('v2');
    expect(replicas().map((x) => x.release)).not.toContainEqual(expect.stringContaining('never-healthy'));
  });

  it('rollback to v1 under load: its kept replicas come back; 0 failed requests from v1 to here', async () => {
    const r = await step('rollback', {});
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs).toMatchObject({ 'restored-version': 'v1' });
    expect(await served()).toBe('v1');
    for (const x of replicas()) expect(dockerCli('exec', x.id, 'cat', '/data/marker')).toBe(`kept-${RUN}`);
    const result = await (load.current as NonNullable<typeof load.current>).stop();
    expect(result.failed, result.failures.join('\n')).toBe(0);
    expect(result.requests).toBeGreaterThan(200);
    expect(Object.keys(result.bodies).sort()).toEqual(['v1', 'v2']);
  });

  it('the secret from the env file is in no output of any step, nor in the journal', () => {
    // The runner's own masking command is the one place it may appear (the runner consumes that line).
    const all = outputs.join('\n');
    expect(all).toContain(`::add-mask::${SECRET}`);
    expect(all.replaceAll(`::add-mask::${SECRET}`, '')).not.toContain(SECRET);
    expect(journalText()).not.toContain(SECRET);
  });
});
