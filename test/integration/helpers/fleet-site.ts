/**
 * A fleet site the way a team runs one: every host (helpers/fleet-hosts.ts, each in a network namespace and a mount
 * namespace of its own) runs its own nginx in front of its replicas, configured at the same path on every host
 * (/srv/rbfleet/nginx, each host's own directory), and a load balancer of the test's own on the runner round-robins
 * over the hosts' nginx — as a cloud load balancer would. The runbook.yml `proxy:` block names the per-host paths.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FleetHost } from './fleet-hosts.js';
import { freePortRange } from './ports.js';

/** Where every host sees its own directory (FleetOptions.ownFs). */
export const FLEET_FS = '/srv/rbfleet';
const HOST_NGINX_PORT = 8080;
const UPSTREAM = 'fleet_app';

const nginxConf = (listen: string, upstream: string) => `pid nginx.pid;
error_log error.log notice;
worker_processes 1;
events { worker_connections 512; }
http {
  access_log access.log;
  client_body_temp_path temp/body;
  proxy_temp_path temp/proxy;
  fastcgi_temp_path temp/fastcgi;
  uwsgi_temp_path temp/uwsgi;
  scgi_temp_path temp/scgi;
  upstream ${UPSTREAM} {
    ${upstream}
    keepalive 8;
  }
  server {
    listen ${listen};
    location / {
      proxy_pass http://${UPSTREAM};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_next_upstream error timeout http_502;
    }
  }
}
`;

function prepare(prefix: string, conf: string, upstreamLines: string, owner?: string): void {
  for (const d of ['', 'temp']) mkdirSync(join(prefix, d), { recursive: true });
  writeFileSync(join(prefix, 'nginx.conf'), conf);
  writeFileSync(join(prefix, 'upstream.conf'), upstreamLines);
  if (owner) execFileSync('chown', ['-R', `${owner}:`, prefix]);
}

const nginxArgv = (prefix: string) => ['/usr/sbin/nginx', '-p', `${prefix}/`, '-c', `${prefix}/nginx.conf`];

function startNginx(argv: string[], prefix: string): void {
  execFileSync(argv[0] as string, [...argv.slice(1), '-e', join(prefix, 'error.log'), '-t'], { stdio: 'ignore' });
  spawn(argv[0] as string, [...argv.slice(1), '-e', join(prefix, 'error.log')], { stdio: 'ignore' }).unref();
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`nothing answers on ${url}`);
}

export interface FleetSite {
  /** The load balancer on the runner: what users reach. */
  url: string;
  /** runbook.yml `strategy.proxy` (indented for `strategy:`), naming the per-host paths. */
  proxyYaml: string;
  /** A host's upstream file as it is now. */
  upstreamOf(host: FleetHost): string;
  stop(): void;
}

/**
 * Start each host's nginx (as the hosts' login user, in its network namespace; a first placeholder server that
 * nothing answers on, as a fresh site has) and the load balancer over them.
 */
export async function startFleetSite(hosts: FleetHost[]): Promise<FleetSite> {
  const stops: Array<() => void> = [];
  for (const host of hosts) {
    if (!host.fsDir || !host.netns) throw new Error('fleet-site needs hosts with ownFs and a network namespace each');
    const prefix = join(host.fsDir, 'nginx');
    prepare(
      prefix,
      nginxConf(`0.0.0.0:${HOST_NGINX_PORT}`, 'include upstream.conf;'),
      '# a fresh site\nserver 127.0.0.1:1;\n',
      host.ssh.user,
    );
    startNginx(
      ['nsenter', `--net=/run/netns/${host.netns}`, '--', 'runuser', '-u', host.ssh.user, '--', ...nginxArgv(prefix)],
      prefix,
    );
    stops.push(() => quit(prefix));
  }
  const [port] = await freePortRange(1);
  const lb = join(hosts[0]?.dir ?? '/tmp', '..', 'lb');
  prepare(
    lb,
    nginxConf(
      `127.0.0.1:${port}`,
      hosts.map((h) => `server ${h.ssh.host}:${HOST_NGINX_PORT} max_fails=0;`).join('\n    '),
    ),
    '',
  );
  startNginx(nginxArgv(lb), lb);
  stops.push(() => quit(lb));
  const url = `http://127.0.0.1:${port}/version`;
  await waitFor(url);
  const at = `${FLEET_FS}/nginx`;
  return {
    url,
    proxyYaml: proxyYamlAt(at),
    upstreamOf: (host) => readFileSync(join(host.fsDir ?? '', 'nginx', 'upstream.conf'), 'utf8'),
    stop: () => {
      for (const s of stops) s();
    },
  };
}

/**
 * The load balancer as a host of its own (`environments.<name>.load-balancer`): nginx on `host` (as its login user, in
 * its network namespace, listening on its address), its upstream in /srv/rbfleet/nginx/upstream.conf with the
 * placeholder a fresh site has; the deploy lists every web host's replicas there. The hosts run no nginx.
 */
export async function startBalancerSite(host: FleetHost): Promise<FleetSite> {
  if (!host.fsDir || !host.netns) throw new Error('the balancer site needs a host with ownFs and a network namespace');
  const prefix = join(host.fsDir, 'nginx');
  prepare(
    prefix,
    nginxConf(`0.0.0.0:${HOST_NGINX_PORT}`, 'include upstream.conf;'),
    '# a fresh site\nserver 127.0.0.1:1;\n',
    host.ssh.user,
  );
  startNginx(
    ['nsenter', `--net=/run/netns/${host.netns}`, '--', 'runuser', '-u', host.ssh.user, '--', ...nginxArgv(prefix)],
    prefix,
  );
  const url = `http://${host.ssh.host}:${HOST_NGINX_PORT}/version`;
  await waitFor(url);
  const at = `${FLEET_FS}/nginx`;
  return {
    url,
    proxyYaml: proxyYamlAt(at),
    upstreamOf: () => readFileSync(join(prefix, 'upstream.conf'), 'utf8'),
    stop: () => quit(prefix),
  };
}

const proxyYamlAt = (at: string) => `  proxy:
    nginx:
      upstream-file: ${at}/upstream.conf
      upstream: ${UPSTREAM}
      test: [/usr/sbin/nginx, -p, ${at}/, -c, ${at}/nginx.conf, -e, ${at}/error.log, -t]
      reload: [/usr/sbin/nginx, -p, ${at}/, -c, ${at}/nginx.conf, -e, ${at}/error.log, -s, reload]
      pid-file: ${at}/nginx.pid
`;

/** Stop an nginx by its pid file (TERM; it may already be gone with its host). */
function quit(prefix: string): void {
  try {
    process.kill(Number(readFileSync(join(prefix, 'nginx.pid'), 'utf8').trim()), 'SIGTERM');
  } catch {
    // gone already
  }
}
