/**
 * nginx in a container (strategy.proxy.nginx.container): the team runs nginx as a container with host networking
 * and the directory of its config mounted from the host. Deploys write the upstream file on the host and test and
 * reload nginx through the Engine API (exec); the switch waits for the workers of the container's main process.
 * The image is this machine's nginx binary and its libraries (no registry, no pull). Under ~100 req/s: 0 failed.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import { fetchFresh } from './helpers/deploy-env.js';
import { startLoad } from './helpers/load.js';
import { freePortRange } from './helpers/ports.js';
import { sandboxPart } from './helpers/sandbox.js';

const NGINX = '/usr/sbin/nginx';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An image holding only /usr/sbin/nginx, the libraries ldd names, and an /etc/passwd with nobody. */
function nginxImage(docker: string, dir: string, tag: string): void {
  const root = join(dir, 'rootfs');
  const files = [
    NGINX,
    ...execFileSync('ldd', [NGINX])
      .toString()
      .matchAll(/(\/\S+\.so[.\d]*)/g),
  ].map((m) => (typeof m === 'string' ? m : (m[1] as string)));
  for (const f of files) {
    mkdirSync(join(root, dirname(f)), { recursive: true });
    copyFileSync(f, join(root, f));
    chmodSync(join(root, f), 0o755);
  }
  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0::/:/nonexistent\nnobody:x:65534:65534::/:/nonexistent\n');
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
  const tar = join(dir, 'rootfs.tar');
  execFileSync('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', root, '-cf', tar, '.']);
  execFileSync('docker', ['-H', docker, 'import', tar, tag], { stdio: 'ignore' });
}

describe('nginx in a container: test and reload through the Engine API', () => {
  const docker = sandboxPart('docker');
  const dir = mkdtempSync(join(tmpdir(), 'nginx-container-'));
  const conf = join(dir, 'conf');
  const name = `rb-edge-nginx-${process.pid}`;
  const tag = `runbook-test-nginx:${process.pid}`;
  const app = `rbedge${process.pid}`;
  let url = '';
  let upstreamFile = '';
  let config = '';

  beforeAll(async () => {
    chmodSync(dir, 0o755);
    mkdirSync(join(conf, 'temp'), { recursive: true });
    chmodSync(join(conf, 'temp'), 0o777);
    nginxImage(docker.host, dir, tag);
    const [port] = await freePortRange(1);
    const [lo, hi] = await freePortRange(10);
    upstreamFile = join(conf, 'upstream.conf');
    writeFileSync(
      join(conf, 'nginx.conf'),
      `user nobody nogroup;
worker_processes 2;
pid ${conf}/nginx.pid;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${conf}/temp/b; proxy_temp_path ${conf}/temp/p; fastcgi_temp_path ${conf}/temp/f;
  uwsgi_temp_path ${conf}/temp/u; scgi_temp_path ${conf}/temp/s;
  include ${upstreamFile};
  server {
    listen 127.0.0.1:${port};
    location / { proxy_pass http://edge_app; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
`,
    );
    writeFileSync(upstreamFile, 'upstream edge_app {\n  keepalive 8;\n  server 127.0.0.1:9 down;\n}\n');
    const nginxArgv = [NGINX, '-p', `${conf}/`, '-c', `${conf}/nginx.conf`, '-e', 'stderr'];
    execFileSync('docker', [
      '-H',
      docker.host,
      'run',
      '-d',
      '--pull=never',
      '--name',
      name,
      '--network',
      'host',
      '-v',
      `${conf}:${conf}`,
      tag,
      ...nginxArgv,
      '-g',
      'daemon off;',
    ]);
    url = `http://127.0.0.1:${port}`;
    config = join(dir, 'runbook.yml');
    writeFileSync(
      config,
      `app: ${app}
environments:
  sandbox:
    targets: [{ name: local, local: true, docker-socket: ${docker.socket} }]
    state-dir: ${dir}/state
services:
  api:
    image: runbook-test-app
    replicas: 2
    network: host
    host-ports: ${lo}-${hi}
    stop-grace: 3s
    health: { http: { path: /health, expect: { json: { status: ok } } }, interval: 300ms, deadline: 15s, stable: 500ms }
strategy:
  type: rolling
  drain: 300ms
  prune-images: false
  proxy:
    nginx:
      upstream-file: ${upstreamFile}
      upstream: edge_app
      container: ${name}
      test: ${JSON.stringify([...nginxArgv, '-t'])}
      reload: ${JSON.stringify([...nginxArgv, '-s', 'reload'])}
`,
    );
  }, 60_000);

  afterAll(() => {
    const ids = execFileSync('docker', ['-H', docker.host, 'ps', '-aq', '--filter', `label=io.runbook.app=${app}`])
      .toString()
      .split('\n')
      .filter(Boolean);
    execFileSync('docker', ['-H', docker.host, 'rm', '-f', name, ...ids], { stdio: 'ignore' });
    execFileSync('docker', ['-H', docker.host, 'rmi', tag], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploys v1, then v2 under load with 0 failed requests; the block keeps its keepalive', async () => {
    const one = await runStep('deploy', { inputs: { config, environment: 'sandbox', version: 'v1' } });
    expect(one.code, one.stdout).toBe(0);
    expect(await fetchFresh(`${url}/version`)).toBe('v1');
    const load = startLoad(`${url}/version`, { workers: 4, ratePerSecond: 100, maxSeconds: 120 });
    await sleep(1000);
    const two = await runStep('deploy', { inputs: { config, environment: 'sandbox', version: 'v2' } });
    expect(two.code, two.stdout).toBe(0);
    await sleep(1000);
    const r = await load.stop();
    expect(r.failed, r.failures.slice(0, 3).join(' | ')).toBe(0);
    expect(r.bodies.v2).toBeGreaterThan(0);
    expect(await fetchFresh(`${url}/version`)).toBe('v2');
    const text = readFileSync(upstreamFile, 'utf8');
    expect(text).toMatch(
      /^upstream edge_app \{\n {2}keepalive 8;\n {2}server 127\.0\.0\.1:\d+ max_fails=1 fail_timeout=2s;\n {2}server 127\.0\.0\.1:\d+ max_fails=1 fail_timeout=2s;\n\}\n$/,
    );
  }, 120_000);
});
