/**
 * A site laid out the way a team does it by hand, not by the toolkit: a docker-compose app on a fixed port, an nginx
 * of its own (master run by root) whose `conf.d/*.conf` is included at http level, the whole `upstream shop_api { … }`
 * block (keepalive, max_fails, a backup server, comments) in `conf.d/upstream.conf`, `conf.d/` owned by root with
 * only that file given to the deploy user, and a sudoers rule letting the deploy user (the sandbox's SSH user) run
 * exactly `nginx -t` and `nginx -s reload` of it. Needs root (nginx master, sudoers). Every port is a free one.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './hand-script.js';
import { ownNginx } from './own-nginx.js';
import { freePortRange } from './ports.js';
import { REPO_ROOT, sandboxPart, sandboxSsh } from './sandbox.js';
import { sshTargetYaml, yamlList } from './yaml.js';

export interface HandSite {
  /** runbook.yml for the site: the SSH target, service `api` (engine, rolling) and the team's nginx. */
  config: string;
  /** Inputs the deploy and rollback steps need besides version. */
  inputs: Record<string, string>;
  /** nginx's front door: http://127.0.0.1:PORT. */
  url: string;
  /** The fixed port the team's compose app listens on. */
  appPort: number;
  upstreamFile: string;
  /** The team's upstream file as they wrote it. */
  original: string;
  stateDir: string;
  /** Remove everything: nginx, the compose app, the sudoers rule, the files. */
  close(): Promise<void>;
}

/**
 * `driver: compose`: the config deploys the team's own compose project (recreate on its fixed port) instead of
 * engine replicas beside it.
 */
export async function handSite(
  name: string,
  o: { deadline?: string; driver?: 'engine' | 'compose' } = {},
): Promise<HandSite> {
  const ssh = sandboxSsh();
  const docker = sandboxPart('docker');
  const [nginxPort, appPort] = await freePortRange(2);
  const [lo, hi] = await freePortRange(10);
  const dir = mkdtempSync(join(tmpdir(), `hand-site-${name}-`));
  chmodSync(dir, 0o755); // the deploy user (another user) reads the pid file and writes one file here
  const original = `# Shop API upstream: edited by hand (ops wiki, "deploys")
upstream shop_api {
    keepalive 16;
    server 127.0.0.1:${appPort} max_fails=3 fail_timeout=10s;  # docker-compose app
    server 127.0.0.1:9 backup;  # maintenance page (not running)
}
`;
  const nginx = ownNginx(join(dir, 'nginx'), {
    confd: {
      'upstream.conf': original,
      'site.conf': `server {
    listen 127.0.0.1:${nginxPort};
    location / {
        proxy_pass http://shop_api;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
    }
}
`,
    },
  });
  const upstreamFile = join(nginx.confd, 'upstream.conf');
  const sshUser = ssh.user;
  chownSync(upstreamFile, Number(execFileSync('id', ['-u', sshUser]).toString()), 0);
  nginx.allowReload(sshUser, `runbook-${name}-${process.pid}`);
  const stateDir = join(dir, 'state');
  mkdirSync(stateDir);
  chmodSync(stateDir, 0o777);

  const project = `rbhand${name}`.replace(/[^a-z0-9]/g, '');
  const compose = ['docker-compose', '-p', project, '-f', join(REPO_ROOT, 'test/fixtures/compose/docker-compose.yml')];
  const composeEnv = { DOCKER_HOST: docker.host, APP_VERSION: 'v1', APP_PORT: String(appPort) };
  if ((await run([...compose, 'up', '-d', '--no-deps', 'app'], composeEnv)) !== 0)
    throw new Error('the compose app did not start');

  const config = join(dir, 'runbook.yml');
  writeFileSync(
    config,
    `app: ${project}
environments:
  prod:
    targets: [${
      o.driver === 'compose'
        ? `{ name: web1, local: true, env: { DOCKER_HOST: "${docker.host}", APP_PORT: "${appPort}" } }`
        : sshTargetYaml()
    }]
    state-dir: ${stateDir}
${
  o.driver === 'compose'
    ? `compose:
  command: [docker-compose]
  directory: ${join(REPO_ROOT, 'test/fixtures/compose')}
  project: ${project}
  version-env: APP_VERSION
  pull: false
services:
  app:
    image: runbook-test-app
    port: ${appPort}
    network: host`
    : `services:
  api:
    image: runbook-test-app
    replicas: 2
    network: host
    host-ports: ${lo}-${hi}`
}
    stop-grace: 3s
    health:
      http: { path: /health, expect: { status: 200, json: { status: ok } } }
      interval: 300ms
      timeout: 2s
      deadline: ${o.deadline ?? '15s'}
      stable: 1s
strategy:
  type: ${o.driver === 'compose' ? 'recreate' : 'rolling'}
  max-surge: 1
  drain: 500ms
  prune-images: false
  proxy:
    nginx:
      upstream-file: ${upstreamFile}
      upstream: shop_api
      test: ${yamlList(['sudo', '-n', ...nginx.argv, '-t'])}
      reload: ${yamlList(['sudo', '-n', ...nginx.argv, '-s', 'reload'])}
      pid-file: ${nginx.pidFile}
`,
  );
  // Wait until the team's site answers through nginx before a test measures anything.
  for (let i = 0; i < 50; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${nginxPort}/version`);
      if (r.ok && (await r.text()).trim() === 'v1') break;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    config,
    inputs: {
      config,
      environment: 'prod',
      'ssh-private-key': ssh.privateKey,
      'ssh-known-hosts': ssh.knownHosts,
    },
    url: `http://127.0.0.1:${nginxPort}`,
    appPort,
    upstreamFile,
    original,
    stateDir,
    close: async () => {
      await nginx.close();
      await run([...compose, 'down'], composeEnv);
      // The toolkit's containers of this app (labels io.runbook.app=<project>).
      const ids = execFileSync('docker', [
        '-H',
        docker.host,
        'ps',
        '-aq',
        '--filter',
        `label=io.runbook.app=${project}`,
      ])
        .toString()
        .split('\n')
        .filter(Boolean);
      if (ids.length > 0) execFileSync('docker', ['-H', docker.host, 'rm', '-f', ...ids]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The upstream file now. */
export const readUpstream = (site: HandSite): string => readFileSync(site.upstreamFile, 'utf8');
