/**
 * A site for maintenance mode, with an nginx of its own (never the shared sandbox nginx): its own prefix, free ports,
 * master run by root, `conf.d/*.conf` included at http level. `conf.d/` is root's; the deploy user (the sandbox's SSH
 * user) is given two files in it — the upstream file and an empty `maintenance.conf` for the page — and a sudoers
 * rule for exactly `nginx -t` and `nginx -s reload`. The site's `server` block also includes `snippets/*.conf`
 * (a directory the deploy user owns): a page pointed there sits inside a server block, which nginx -t rejects.
 * Service `api`: engine driver, rolling, 2 replicas on the host network. Needs root (nginx master, sudoers).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownNginx } from './own-nginx.js';
import { freePortRange } from './ports.js';
import { sandboxPart, sandboxSsh } from './sandbox.js';
import { sshTargetYaml, yamlList } from './yaml.js';

export interface MaintenanceSite {
  /** runbook.yml with `maintenance: { file: conf.d/maintenance.conf, listen, retry-after: 90s, body }`. */
  config: string;
  /** The same site with the page pointed at `snippets/maintenance.conf` (inside the server block). */
  misplacedConfig: string;
  /** Inputs every step needs (config, environment, SSH key and known hosts). */
  inputs: Record<string, string>;
  /** nginx's front door: http://127.0.0.1:PORT. */
  url: string;
  /** The port the page listens on. */
  pagePort: number;
  upstreamFile: string;
  pageFile: string;
  misplacedFile: string;
  stateDir: string;
  /** The page's body and Retry-After (seconds), as configured. */
  body: string;
  retryAfter: string;
  close(): Promise<void>;
}

export async function maintenanceSite(name: string): Promise<MaintenanceSite> {
  const ssh = sandboxSsh();
  const docker = sandboxPart('docker');
  const [nginxPort, pagePort] = await freePortRange(2);
  const [lo, hi] = await freePortRange(10);
  const dir = mkdtempSync(join(tmpdir(), `maintenance-${name}-`));
  chmodSync(dir, 0o755);
  const prefix = join(dir, 'nginx');
  const snippets = join(prefix, 'snippets');
  mkdirSync(snippets, { recursive: true });
  const nginx = ownNginx(prefix, {
    confd: {
      'upstream.conf': 'upstream shop_api {\n    keepalive 16;\n    server 127.0.0.1:9 down;\n}\n',
      'maintenance.conf': '',
      'site.conf': `server {
    listen 127.0.0.1:${nginxPort};
    include ${snippets}/*.conf;
    location / {
        proxy_pass http://shop_api;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
    }
}
`,
    },
  });
  const upstreamFile = join(nginx.confd, 'upstream.conf');
  const pageFile = join(nginx.confd, 'maintenance.conf');
  const uid = Number(execFileSync('id', ['-u', ssh.user]).toString());
  for (const f of [upstreamFile, pageFile, snippets]) chownSync(f, uid, 0);
  nginx.allowReload(ssh.user, `runbook-${name}-${process.pid}`);
  const stateDir = join(dir, 'state');
  mkdirSync(stateDir);
  chmodSync(stateDir, 0o777);

  const app = `rbmaint${name}`.replace(/[^a-z0-9]/g, '');
  const body = 'Back soon: the shop is being upgraded.';
  const configText = (page: string) => `app: ${app}
environments:
  prod:
    targets: [${sshTargetYaml()}]
    state-dir: ${stateDir}
services:
  api:
    image: runbook-test-app
    replicas: 2
    network: host
    host-ports: ${lo}-${hi}
    stop-grace: 3s
    health:
      http: { path: /health, expect: { status: 200, json: { status: ok } } }
      interval: 300ms
      timeout: 2s
      deadline: 15s
      stable: 1s
strategy:
  type: rolling
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
      maintenance: { file: ${page}, listen: ${pagePort}, retry-after: 90s, body: "${body}" }
`;
  const config = join(dir, 'runbook.yml');
  writeFileSync(config, configText(pageFile));
  const misplacedFile = join(snippets, 'maintenance.conf');
  const misplacedConfig = join(dir, 'misplaced.yml');
  writeFileSync(misplacedConfig, configText(misplacedFile));
  return {
    config,
    misplacedConfig,
    inputs: {
      config,
      environment: 'prod',
      'ssh-private-key': ssh.privateKey,
      'ssh-known-hosts': ssh.knownHosts,
    },
    url: `http://127.0.0.1:${nginxPort}`,
    pagePort,
    upstreamFile,
    pageFile,
    misplacedFile,
    stateDir,
    body,
    retryAfter: '90',
    close: async () => {
      await nginx.close();
      const ids = execFileSync('docker', ['-H', docker.host, 'ps', '-aq', '--filter', `label=io.runbook.app=${app}`])
        .toString()
        .split('\n')
        .filter(Boolean);
      if (ids.length > 0) execFileSync('docker', ['-H', docker.host, 'rm', '-f', ...ids]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
