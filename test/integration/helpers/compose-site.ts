/**
 * A compose app as a team has it, rolled replica by replica on the sandbox (docker-compose 1.29, dockerd, nginx): a
 * docker-compose.yml (`version: "2.4"`) whose service `app` runs runbook-test-app:${APP_VERSION:-v1} on the host
 * network (PORT from the environment), its secrets in an env file beside it, a named volume, a healthcheck; and a
 * runbook.yml deploying it (`compose:` driver, two replicas on free ports, rolling) behind the sandbox nginx. The
 * compose app's files (writeComposeApp) and the `compose:` section are shared with progressive-site.ts's compose
 * driver.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStep, type StepResult } from './action-runner.js';
import { freePortRange } from './ports.js';
import { sandboxPart } from './sandbox.js';
import { removeApp } from './sandbox-docker.js';
import { freshSandboxUpstream, nginxProxyYaml } from './yaml.js';

export interface ComposeSite {
  /** The config's `app:`, also the compose project: `<prefix><run-unique hex>`. */
  app: string;
  config: string;
  /** The directory of docker-compose.yml and app.env. */
  site: string;
  /** `deploy` of the site (environment `sandbox`); the first one starts the sandbox nginx's site fresh. */
  deploy(version: string): Promise<StepResult>;
  /** Remove the app's containers (label io.runbook.app), `docker-compose down -v` of the project, the files. */
  close(): void;
}

/**
 * The team's compose file (`version: "2.4"`): service `app` runs runbook-test-app:${APP_VERSION:-v1} on the host
 * network (PORT from the environment), its secrets from app.env beside it, a named volume `appdata` at /data, a
 * healthcheck on GET /health.
 */
export const COMPOSE_APP_FILE = `version: "2.4"
services:
  app:
    image: runbook-test-app:\${APP_VERSION:-v1}
    network_mode: host
    env_file: [app.env]
    environment:
      PORT: "8080"
    volumes: [appdata:/data]
    healthcheck:
      test: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:$\${PORT}/health || exit 1"]
      interval: 1s
      timeout: 1s
      retries: 2
    stop_grace_period: 3s
volumes:
  appdata: {}
`;

/** Write the compose app into `site`: docker-compose.yml (COMPOSE_APP_FILE) and app.env with APP_SECRET=`secret`. */
export function writeComposeApp(site: string, secret: string): void {
  writeFileSync(join(site, 'docker-compose.yml'), COMPOSE_APP_FILE);
  writeFileSync(join(site, 'app.env'), `# the app's secrets, kept on the server\nAPP_SECRET=${secret}\n`);
}

/** `compose:` of a runbook.yml for the compose app in `site` as project `project` (APP_VERSION the version). */
export const composeSectionYaml = (site: string, project: string): string => `compose:
  command: [docker-compose]
  directory: ${site}
  project: ${project}
  version-env: APP_VERSION
`;

export async function composeSite(prefix: string): Promise<ComposeSite> {
  const docker = sandboxPart('docker');
  const nginx = sandboxPart('nginx');
  const app = `${prefix}${randomBytes(3).toString('hex')}`;
  const [low, high] = await freePortRange(6);
  const dir = mkdtempSync(join(tmpdir(), `compose-site-${app}-`));
  const site = join(dir, 'site');
  mkdirSync(site);
  writeComposeApp(site, randomBytes(8).toString('hex'));
  const config = join(dir, 'runbook.yml');
  writeFileSync(
    config,
    `app: ${app}
environments:
  sandbox:
    targets: [{ name: local, local: true, docker-socket: ${docker.socket}, env: { DOCKER_HOST: "${docker.host}" } }]
    state-dir: ${join(dir, 'state')}
${composeSectionYaml(site, app)}services:
  app:
    image: runbook-test-app
    replicas: 2
    network: host
    host-ports: ${low}-${high}
    health: { container: true, interval: 300ms, deadline: 12s, stable: 1s }
strategy:
  type: rolling
  max-surge: 1
  drain: 300ms
  prune-images: false
${nginxProxyYaml(nginx)}`,
  );
  let started = false;
  return {
    app,
    config,
    site,
    deploy: (version) => {
      if (!started) freshSandboxUpstream(nginx);
      started = true;
      return runStep('deploy', { inputs: { config, environment: 'sandbox', version }, timeoutMs: 180_000 });
    },
    close: () => {
      removeApp(docker.host, app, { project: app, cwd: site });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
