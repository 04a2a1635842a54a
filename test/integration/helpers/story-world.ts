/** The story's world: a work tree with its runbook.yml, a seeded database, the sandbox engine cleared of the app. */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSeededDatabase, type SandboxPostgres, sandboxPostgres } from './pg-sandbox.js';
import { REPO_ROOT, sandboxPart, sandboxSsh } from './sandbox.js';
import { databaseYaml, freshSandboxUpstream, nginxProxyYaml, sshTargetYaml, yamlList } from './yaml.js';

const MIGRATIONS = join(REPO_ROOT, 'test/fixtures/migrations');

/** Where the story's one target is reached: the runner itself, or the sandbox sshd (its user runs every command). */
export type StoryOver = 'local' | 'ssh';

function configYaml(o: {
  app: string;
  dir: string;
  db: string;
  pg: SandboxPostgres;
  ports: [number, number];
  over: StoryOver;
}): string {
  const docker = sandboxPart('docker');
  const nginx = sandboxPart('nginx');
  const tool = ['bash', join(MIGRATIONS, 'migrator.sh')];
  return `app: ${o.app}
environments:
  sandbox:
    url: http://127.0.0.1:${nginx.port}
    targets: [${o.over === 'ssh' ? sshTargetYaml() : `{ name: local, local: true, docker-socket: ${docker.socket} }`}]
    state-dir: ${o.dir}/state
checks:
  min-free-disk: 1%
  disk-paths: [${o.dir}]
  docker: false
  compose: false
  required-secrets: [DB_PASSWORD]
services:
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
export function storyWorld(app: string, ports: [number, number], over: StoryOver = 'local'): StoryWorld {
  const pg = sandboxPostgres();
  const dir = mkdtempSync(join(tmpdir(), `${app}-`));
  mkdirSync(join(dir, 'migrations'));
  mkdirSync(join(dir, 'backups'));
  // Over SSH the sandbox user writes the journal, lock and backups and reads the migrations.
  if (over === 'ssh') for (const d of ['', 'migrations', 'backups']) chmodSync(join(dir, d), 0o777);
  removeContainers(app);
  const database = createSeededDatabase(pg, app);
  const config = join(dir, 'runbook.yml');
  freshSandboxUpstream(sandboxPart('nginx'));
  writeFileSync(config, configYaml({ app, dir, db: database, pg, ports, over }));
  const ssh = over === 'ssh' ? sandboxSsh() : undefined;
  return {
    app,
    dir,
    config,
    database,
    pg,
    url: `http://127.0.0.1:${sandboxPart('nginx').port}/version`,
    ship: (m) => shipMigration(dir, m),
    inputs: ssh ? { 'ssh-private-key': ssh.privateKey, 'ssh-known-hosts': ssh.knownHosts } : {},
  };
}
