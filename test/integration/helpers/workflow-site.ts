/**
 * A team's repository and server for running the example workflows against (helpers/workflow-run.ts): the workspace
 * (the checkout: runbook.yml at its root, migrations/, and the compose app under site/ with the compose driver) and
 * a site on this machine laid out as the team has it, never the shared sandbox nginx:
 * - an nginx of its own (own-nginx.ts, master run by root) on a free port, with the canary access-log format and an
 *   access log per request (method, path, status) for the tests to read; the upstream `shop_api` either as a whole
 *   `upstream { … }` block in conf.d/upstream.conf (`layout: 'block'`, keepalive and a comment) or as server lines in
 *   upstreams/shop_api.servers, included inside the block (`layout: 'servers'`);
 * - the target: the runner itself, or the sandbox sshd (`over: 'ssh'`: its user writes the state, the backups and
 *   the upstream file, and may run exactly this nginx's `-t` and `-s reload` through sudo);
 * - with `database`, a private seeded copy of the sandbox PostgreSQL database, its backups in the workspace and the
 *   custom migration tool of test/fixtures/migrations (the story's migrator.sh: `ship()` a version's migration).
 * The environment is `production` (the examples' choice). Apps, ports and databases are unique per site.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCESS_LOG_FORMAT, accessLogDirective } from '../../../src/canary/access-log.js';
import type { Journal } from '../../../src/deploy/journal.js';
import { composeSectionYaml, writeComposeApp } from './compose-site.js';
import { ownNginx } from './own-nginx.js';
import { createSeededDatabase, dropDatabase, type SandboxPostgres, sandboxPostgres } from './pg-sandbox.js';
import { freePortRange } from './ports.js';
import { REPO_ROOT, sandboxPart, sandboxSsh } from './sandbox.js';
import { appContainers, dockerAt, fetchText, removeApp } from './sandbox-docker.js';
import { type GithubContext, runWorkflow, type WorkflowRun } from './workflow-run.js';
import { databaseYaml, sshTargetYaml, yamlList } from './yaml.js';

export const ENVIRONMENT = 'production';
const MIGRATIONS = join(REPO_ROOT, 'test/fixtures/migrations');

export interface TeamSiteOptions {
  /** Prefix of the app's name (a random suffix makes it unique). */
  name: string;
  over?: 'local' | 'ssh';
  driver?: 'engine' | 'compose';
  layout?: 'block' | 'servers';
  database?: boolean;
  /** `services.<name>.env` of the config. */
  env?: Record<string, string>;
  /** Lines under `strategy:` after type and proxy (indented 2): blue-green, canary, max-surge … */
  strategy?: { type: 'rolling' | 'recreate' | 'blue-green' | 'canary'; lines?: (site: SitePaths) => string };
  /** The whole `smoke:` section (default: GET /health expecting {status: ok}). */
  smoke?: string;
  /** More lines under `checks:` (indented 2), e.g. `  incident-label: incident\n`. */
  checks?: string;
  /** A GitHub API for the runs (the fixture of test/github-api): its url and the token it accepts. */
  github?: { url: string; token: string };
}

export interface SitePaths {
  url: string;
  accessLog: string;
  workspace: string;
}

export interface TeamSite extends SitePaths {
  app: string;
  /** The runbook service: `api` (engine), `app` (compose). */
  service: string;
  config: string;
  upstreamFile: string;
  /** nginx's log of every request: `METHOD path status`. */
  requestLog: string;
  pg?: SandboxPostgres & { password: string };
  database?: string;
  /** The secrets the examples read (DEPLOY_SSH_KEY, DEPLOY_KNOWN_HOSTS, DB_PASSWORD). */
  secrets: Record<string, string>;
  /** The runner's environment: RUNBOOK_PACKAGE, the CLI of this checkout (npx --package=<path>). */
  runnerEnv: Record<string, string>;
  /** Copy a fixture migration (and its down file, when there is one) into the workspace's migrations/. */
  ship(migration: string): void;
  /** Take a migration out of the workspace again. */
  unship(migration: string): void;
  journal(): Journal;
  /** The live release's version and id. */
  live(): { id: string; version: string };
  /** A release by version (the newest with it). */
  release(version: string): Journal['releases'][number];
  served(): Promise<string>;
  /** Image tags of the running containers of the app (e.g. ['v2', 'v2']). */
  runningVersions(): string[];
  /** Run an example workflow against this site: its workspace, secrets and variables, plus the given github fields. */
  dispatch(
    workflow: string,
    inputs: Record<string, string | boolean>,
    more?: { env?: Record<string, string>; github?: Partial<GithubContext>; secrets?: Record<string, string> },
  ): Promise<WorkflowRun>;
  close(): Promise<void>;
}

export async function teamSite(o: TeamSiteOptions): Promise<TeamSite> {
  const docker = sandboxPart('docker');
  const app = `${o.name}${randomBytes(3).toString('hex')}`.toLowerCase().replace(/[^a-z0-9]/g, '');
  const [port, hi] = await freePortRange(11);
  const lo = port + 1;
  const workspace = mkdtempSync(join(tmpdir(), `team-${app}-`));
  const ssh = o.over === 'ssh' ? sandboxSsh() : undefined;
  chmodSync(workspace, ssh ? 0o777 : 0o755);
  for (const d of ['migrations', 'backups', 'state']) {
    mkdirSync(join(workspace, d));
    if (ssh) chmodSync(join(workspace, d), 0o777);
  }
  const prefix = join(workspace, 'nginx');
  const accessLog = join(prefix, 'logs/canary.log');
  const requestLog = join(prefix, 'logs/requests.log');
  const upstream = 'shop_api';
  const servers = '    server 127.0.0.1:9 down;  # nothing deployed yet\n';
  const layout = o.layout ?? 'block';
  const serversFile = join(prefix, 'upstreams', `${upstream}.servers`);
  mkdirSync(join(prefix, 'upstreams'), { recursive: true });
  if (layout === 'servers') writeFileSync(serversFile, servers.trimStart());
  const nginx = ownNginx(prefix, {
    http: [ACCESS_LOG_FORMAT, "log_format requests '$request_method $uri $status';"],
    confd: {
      'upstream.conf':
        layout === 'block'
          ? `# Shop API: deploys rewrite the server lines\nupstream ${upstream} {\n    keepalive 16;\n${servers}}\n`
          : `upstream ${upstream} {\n    keepalive 16;\n    include ${serversFile};\n}\n`,
      'site.conf': `server {
    listen 127.0.0.1:${port};
    ${accessLogDirective(accessLog)}
    access_log ${requestLog} requests;
    location / {
        proxy_pass http://${upstream};
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_next_upstream error timeout http_502 http_503;
        proxy_connect_timeout 2s;
    }
}
`,
    },
  });
  const upstreamFile = layout === 'block' ? join(nginx.confd, 'upstream.conf') : serversFile;
  if (ssh) {
    chownSync(upstreamFile, Number(execFileSync('id', ['-u', ssh.user]).toString()), 0);
    nginx.allowReload(ssh.user, `runbook-team-${app}`);
  }
  const pg = o.database ? sandboxPostgres() : undefined;
  const database = pg ? createSeededDatabase(pg, app) : undefined;
  const service = o.driver === 'compose' ? 'app' : 'api';
  if (o.driver === 'compose') {
    mkdirSync(join(workspace, 'site'));
    writeComposeApp(join(workspace, 'site'), randomBytes(8).toString('hex'));
  }
  const url = `http://127.0.0.1:${port}`;
  const paths: SitePaths = { url, accessLog, workspace };
  const target = ssh
    ? sshTargetYaml()
    : `{ name: local, local: true, docker-socket: ${docker.socket}, env: { DOCKER_HOST: "${docker.host}" } }`;
  const env = o.env
    ? `    env: { ${Object.entries(o.env)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join(', ')} }\n`
    : '';
  const health =
    o.driver === 'compose'
      ? '    health: { container: true, interval: 300ms, deadline: 15s, stable: 500ms }\n'
      : `    health:
      http: { path: /health, expect: { status: 200 } }  # alive; the smoke checks judge ready
      interval: 200ms
      timeout: 2s
      deadline: 15s
      stable: 500ms
`;
  const tool = ['bash', join(MIGRATIONS, 'migrator.sh')];
  const dir = workspace;
  const config = join(workspace, 'runbook.yml');
  writeFileSync(
    config,
    `# ${o.name}: the team's runbook.yml (at the root of the repository)
app: ${app}
environments:
  ${ENVIRONMENT}:
    url: ${url}
    targets: [${target}]
    state-dir: ${dir}/state
checks:
  min-free-disk: 1%
  disk-paths: [${dir}]
  docker: false
  compose: false
${pg ? '  required-secrets: [DB_PASSWORD]\n' : ''}${o.checks ?? ''}${o.driver === 'compose' ? composeSectionYaml(join(dir, 'site'), app) : ''}services:
  ${service}:
    image: runbook-test-app
    replicas: 2
    network: host
    host-ports: ${lo}-${hi}
    stop-grace: 2s
${env}${health}strategy:
  type: ${o.strategy?.type ?? 'rolling'}
  max-surge: 2
  drain: 300ms
  keep-releases: 3
  prune-images: false
  proxy:
    nginx:
      upstream-file: ${upstreamFile}
      upstream: ${upstream}
      test: ${yamlList([...(ssh ? ['sudo', '-n'] : []), ...nginx.argv, '-t'])}
      reload: ${yamlList([...(ssh ? ['sudo', '-n'] : []), ...nginx.argv, '-s', 'reload'])}
      pid-file: ${nginx.pidFile}
${o.strategy?.lines?.(paths) ?? ''}${
  pg && database
    ? `${databaseYaml({ port: pg.port, name: database, user: pg.user, backup: `{ directory: ${dir}/backups }` })}  migrate:
    tool: custom
    directory: ${dir}
    lock-timeout: 5s
    statement-timeout: 1m
    custom:
      upgrade: ${yamlList([...tool, 'up', `${dir}/migrations`])}
      current: ${yamlList([...tool, 'current'])}
      dry-run: ${yamlList([...tool, 'sql', `${dir}/migrations`])}
      downgrade: ${yamlList([...tool, 'down', '{revision}', `${dir}/migrations`])}
`
    : ''
}${
  o.smoke ??
  `smoke:
  wait: 5s
  checks:
    - { name: ready, url: /health, expect: { status: 200, json: { status: ok } } }
`
}`,
  );
  const journal = () => JSON.parse(readFileSync(join(dir, 'state', ENVIRONMENT, 'journal.json'), 'utf8')) as Journal;
  const secrets: Record<string, string> = {
    ...(ssh ? { DEPLOY_SSH_KEY: ssh.privateKey, DEPLOY_KNOWN_HOSTS: ssh.knownHosts } : {}),
    ...(pg ? { DB_PASSWORD: pg.password } : {}),
  };
  const runnerEnv = { RUNBOOK_PACKAGE: REPO_ROOT };
  const docker$ = dockerAt(docker.host);
  return {
    app,
    service,
    config,
    upstreamFile,
    requestLog,
    ...paths,
    ...(pg ? { pg } : {}),
    ...(database ? { database } : {}),
    secrets,
    runnerEnv,
    ship: (m) => {
      for (const f of [`${m}.sql`, `${m}.down.sql`])
        if (existsSync(join(MIGRATIONS, f))) copyFileSync(join(MIGRATIONS, f), join(dir, 'migrations', f));
    },
    unship: (m) => {
      for (const f of [`${m}.sql`, `${m}.down.sql`]) rmSync(join(dir, 'migrations', f), { force: true });
    },
    journal,
    live: () => {
      const live = journal().releases.filter((r) => r.status === 'live');
      const last = live[live.length - 1];
      if (!last) throw new Error(`no live release in the journal of ${app}`);
      return { id: last.id, version: last.version };
    },
    release: (version) => {
      const r = journal()
        .releases.filter((x) => x.version === version)
        .pop();
      if (!r) throw new Error(`no release ${version} in the journal of ${app}`);
      return r;
    },
    served: () => fetchText(`${url}/version`),
    runningVersions: () =>
      appContainers(docker.host, app)
        .map((id) => docker$('inspect', '--format', '{{.Config.Image}}', id).replace(/^.*:/, ''))
        .sort(),
    dispatch: (workflow, inputs, more = {}) =>
      runWorkflow({
        workflow,
        inputs,
        workspace,
        secrets: { ...secrets, ...more.secrets },
        env: { ...runnerEnv, ...(o.github ? { GITHUB_API_URL: o.github.url } : {}), ...more.env },
        github: { ...(o.github ? { token: o.github.token } : {}), ...more.github },
      }),
    close: async () => {
      await nginx.close();
      try {
        removeApp(docker.host, app, o.driver === 'compose' ? { project: app, cwd: join(dir, 'site') } : undefined);
        if (pg && database) dropDatabase(pg, database);
      } finally {
        rmSync(workspace, { recursive: true, force: true });
      }
    },
  };
}
