/** The story's world: a work tree with its runbook.yml, a seeded database, the sandbox engine cleared of the app. */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSeededDatabase, type SandboxPostgres, sandboxPostgres } from './pg-sandbox.js';
import { REPO_ROOT, sandboxPart, sandboxSsh } from './sandbox.js';
import { databaseYaml, freshSandboxUpstream, nginxProxyYaml, sshTargetYaml, yamlList } from './yaml.js';

const MIGRATIONS = join(REPO_ROOT, 'test/fixtures/migrations');

/** Where the story's one target is reached: the runner itself, or the sandbox sshd (its user runs every command). */
export type StoryOver = 'local' | 'ssh';

/**
 * How the app is described: `engine`, by the runbook's service keys; `compose`, as the runbooks' teams have it: a
 * docker-compose.yml with its secrets in an env file beside it, a named volume and a healthcheck, rolled replica by
 * replica (runner-local target only).
 */
export type StoryApp = 'engine' | 'compose';

/** The team's compose file: the API on the host network (PORT from the environment), secrets in api.env, uploads. */
const COMPOSE_FILE = `version: "2.4"
services:
  api:
    image: runbook-test-app:\${APP_VERSION:-v1}
    network_mode: host
    env_file: [api.env]
    environment:
      PORT: "8080"
      LOG_LEVEL: info
    volumes: [uploads:/data]
    healthcheck:
      test: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:$\${PORT}/health || exit 1"]
      interval: 1s
      timeout: 1s
      retries: 2
    stop_grace_period: 2s
volumes:
  uploads: {}
`;

/** The compose section of the story's config, and the target's DOCKER_HOST for the compose CLI. */
function composeYaml(app: string, dir: string): string {
  return `compose:
  command: [docker-compose]
  directory: ${dir}/site
  project: ${app}
  version-env: APP_VERSION
`;
}

function configYaml(o: {
  app: string;
  dir: string;
  db: string;
  pg: SandboxPostgres;
  ports: [number, number];
  over: StoryOver;
  kind: StoryApp;
}): string {
  const docker = sandboxPart('docker');
  const nginx = sandboxPart('nginx');
  const tool = ['bash', join(MIGRATIONS, 'migrator.sh')];
  return `app: ${o.app}
environments:
  sandbox:
    url: http://127.0.0.1:${nginx.port}
    targets: [${o.over === 'ssh' ? sshTargetYaml() : `{ name: local, local: true, docker-socket: ${docker.socket}, env: { DOCKER_HOST: "${docker.host}" } }`}]
    state-dir: ${o.dir}/state
checks:
  min-free-disk: 1%
  disk-paths: [${o.dir}]
  docker: false
  compose: false
  required-secrets: [DB_PASSWORD]
${o.kind === 'compose' ? composeYaml(o.app, o.dir) : ''}services:
  api:
    image: runbook-test-app
    replicas: 2
    network: host
    host-ports: ${o.ports[0]}-${o.ports[1]}
    stop-grace: 2s
    health:
      http: { path: /health, expect: { status: 200 } }
      interval: 250ms
      timeout: 2s
      deadline: 15s
      stable: 1s
strategy:
  type: rolling
  max-surge: 1
  drain: 300ms
  keep-releases: 3
  prune-images: false
${nginxProxyYaml(nginx)}${databaseYaml({ port: o.pg.port, name: o.db, user: o.pg.user, backup: `{ directory: ${o.dir}/backups }` })}  migrate:
    tool: custom
    directory: ${o.dir}
    lock-timeout: 5s
    statement-timeout: 1m
    custom:
      upgrade: ${yamlList([...tool, 'up', `${o.dir}/migrations`])}
      current: ${yamlList([...tool, 'current'])}
      dry-run: ${yamlList([...tool, 'sql', `${o.dir}/migrations`])}
      downgrade: ${yamlList([...tool, 'down', '{revision}', `${o.dir}/migrations`])}
smoke:
  checks:
    - name: ready
      url: /health
      expect: { status: 200, json: { status: ok }, max-latency: 2s }
  sample: { requests: 20, rate: 40/s, p95: 1s, error-rate: 0 }
  wait: 2s
`;
}

/** Remove what an earlier run of the same app left in the sandbox engine (containers hold host ports). */
export function removeContainers(app: string): void {
  const docker = ['-H', `unix://${sandboxPart('docker').socket}`];
  const ids = execFileSync('docker', [...docker, 'ps', '-aq', '--filter', `label=io.runbook.app=${app}`], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter((l) => l.trim() !== '');
  if (ids.length > 0) execFileSync('docker', [...docker, 'rm', '-f', ...ids], { stdio: 'ignore' });
}

/** Ship a version's migrations with its code: copy the fixture files into the work tree's migrations folder. */
function shipMigration(dir: string, name: string): void {
  for (const f of [`${name}.sql`, `${name}.down.sql`]) copyFileSync(join(MIGRATIONS, f), join(dir, 'migrations', f));
}

export interface StoryWorld {
  app: string;
  kind: StoryApp;
  /** The secret in the compose app's env file (compose only): it must reach the containers and no output. */
  secret?: string;
  dir: string;
  config: string;
  database: string;
  pg: SandboxPostgres & { password: string };
  /** nginx's /version: what the environment serves. */
  url: string;
  /** Ship a version's migration with its code (copies the fixture and its down file into the work tree). */
  ship(migration: string): void;
  /** Inputs every step needs to reach the target (the SSH key and pinned host key over SSH). */
  inputs: Record<string, string>;
}

/** A fresh world for the story: a work tree (runbook.yml, migrations/, backups/), a seeded database, no containers. */
export function storyWorld(
  app: string,
  ports: [number, number],
  over: StoryOver = 'local',
  kind: StoryApp = 'engine',
): StoryWorld {
  if (kind === 'compose' && over !== 'local') throw new Error('the compose story runs on the runner-local target');
  const pg = sandboxPostgres();
  const dir = mkdtempSync(join(tmpdir(), `${app}-`));
  mkdirSync(join(dir, 'migrations'));
  mkdirSync(join(dir, 'backups'));
  // Over SSH the sandbox user writes the journal, lock and backups and reads the migrations.
  if (over === 'ssh') for (const d of ['', 'migrations', 'backups']) chmodSync(join(dir, d), 0o777);
  removeContainers(app);
  let secret: string | undefined;
  if (kind === 'compose') {
    secret = `story-${randomBytes(8).toString('hex')}`;
    mkdirSync(join(dir, 'site'));
    writeFileSync(join(dir, 'site/docker-compose.yml'), COMPOSE_FILE);
    writeFileSync(
      join(dir, 'site/api.env'),
      `# kept on the server, never in the repository\nSESSION_SECRET=${secret}\n`,
    );
    // A fresh uploads volume: an earlier story of the same app may have left one.
    const docker = ['-H', `unix://${sandboxPart('docker').socket}`];
    execFileSync('docker', [...docker, 'volume', 'rm', '-f', `${app}_uploads`], { stdio: 'ignore' });
  }
  const database = createSeededDatabase(pg, app);
  const config = join(dir, 'runbook.yml');
  freshSandboxUpstream(sandboxPart('nginx'));
  writeFileSync(config, configYaml({ app, dir, db: database, pg, ports, over, kind }));
  const ssh = over === 'ssh' ? sandboxSsh() : undefined;
  return {
    app,
    kind,
    secret,
    dir,
    config,
    database,
    pg,
    url: `http://127.0.0.1:${sandboxPart('nginx').port}/version`,
    ship: (m) => shipMigration(dir, m),
    inputs: ssh ? { 'ssh-private-key': ssh.privateKey, 'ssh-known-hosts': ssh.knownHosts } : {},
  };
}
