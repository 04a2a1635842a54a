/**
 * A site for blue-green and canary tests (and the benchmark), laid out as a team would and independent of the shared
 * sandbox nginx, so its tests can run beside others. Needs root (the nginx master runs as root, as in hand-site.ts).
 *
 * Its own nginx, everything under `<tmp>/nginx/` (the prefix), every port a free one:
 *   nginx.conf          http { temp paths; access_log logs/access.log; log_format runbook_canary …
 *                       (ACCESS_LOG_FORMAT of src/canary/access-log.ts); include conf.d/*.conf; }
 *   conf.d/upstream.conf  the whole `upstream shop_api { keepalive 16; server 127.0.0.1:9 down; }` (the placeholder
 *                       src/proxy/upstream-file.ts treats as "nothing serves": a first deploy replaces it)
 *   conf.d/route.conf   the canary route: `map $http_x_canary $shop_api_pick { default shop_api; }` and
 *                       `upstream shop_api_canary { server 127.0.0.1:9 down; }` as the site starts (every request to
 *                       shop_api); a canary with `route: { header: X-Canary, file: <this> }` rewrites it (its map sends
 *                       requests with the header to shop_api_canary)
 *   conf.d/site.conf    server on 127.0.0.1:<port>: `proxy_pass http://$shop_api_pick;` (a variable, so the route
 *                       file picks the upstream; it names one of the two upstream groups, no resolver needed),
 *                       keep-alive to the upstream, proxy_next_upstream error timeout http_502 http_503,
 *                       `add_header X-Upstream $upstream_addr always;`, `access_log logs/canary.log runbook_canary;`
 * The runbook.yml: app `<name><hex>` (unique per site), environment `sandbox` with the local target on the sandbox
 * Docker socket, service `api` (runbook-test-app, 2 replicas, host network, 10 free host ports, GET /health expecting
 * {status: ok}), strategy `type:` as asked with this nginx as `proxy:`, then the test's own lines under `strategy:`
 * (`strategyYaml`, indented 2; a function of { accessLog, routeFile } when they name the site's files). For `canary`
 * without a `canary:` block of the test's own: a short default one judged on the access log, with the route.
 * `variant(strategyYaml, strategy)` writes another config of the same site (app, state, ports, nginx).
 *
 * With `driver: 'compose'` the app is the team's compose app of compose-site.ts instead (writeComposeApp: a
 * docker-compose.yml whose service `app` runs runbook-test-app:${APP_VERSION:-v1} on the host network reading PORT, its
 * secret APP_SECRET in app.env beside it, a named volume `appdata` at /data, a healthcheck), in `<tmp>/site/`: the
 * runbook.yml gets `compose:` (docker-compose, that directory, project = app, version-env APP_VERSION; the target's
 * DOCKER_HOST set for the CLI) and service `app` as the compose driver's replicas need it (2 replicas, network: host,
 * the 10 free host ports, health: the container's healthcheck), the rest as above. close() also runs
 * `docker-compose down -v` of the project (its volume).
 */

import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCESS_LOG_FORMAT, accessLogDirective } from '../../../src/canary/access-log.js';
import type { Journal } from '../../../src/deploy/journal.js';
import { composeSectionYaml, writeComposeApp } from './compose-site.js';
import { ownNginx } from './own-nginx.js';
import { freePortRange } from './ports.js';
import { sandboxPart } from './sandbox.js';
import { fetchText, removeApp } from './sandbox-docker.js';
import { yamlList } from './yaml.js';

const ENVIRONMENT = 'sandbox';
export const UPSTREAM = 'shop_api';
export const ROUTE_HEADER = 'X-Canary';

export type SiteStrategy = 'blue-green' | 'canary' | 'rolling';

/** The site's paths a strategy block may name. */
export interface SitePaths {
  accessLog: string;
  routeFile: string;
}

/** Extra YAML lines under `strategy:` (indented 2), or a function of the site's paths giving them. */
export type StrategyYaml = string | ((paths: SitePaths) => string);

export interface ProgressiveSiteOptions {
  strategy: SiteStrategy;
  strategyYaml?: StrategyYaml;
  /** `engine` (default): service `api` from runbook-test-app; `compose`: the compose app of compose-site.ts. */
  driver?: 'engine' | 'compose';
}

/** The compose app of a `driver: 'compose'` site. */
export interface SiteCompose {
  /** The directory of docker-compose.yml and app.env. */
  directory: string;
  /** The compose project (the site's app). */
  project: string;
  /** APP_SECRET's value in app.env. */
  secret: string;
}

export interface ProgressiveSite extends SitePaths {
  /** The config's `app:` (the label io.runbook.app of its containers). */
  app: string;
  /** The runbook's service: `api`, or `app` (the compose file's service) with the compose driver. */
  service: string;
  /** With `driver: 'compose'`: the compose app. */
  compose?: SiteCompose;
  /** runbook.yml for the options given. */
  config: string;
  /** Another runbook.yml of the same site (app, state, ports, nginx) with this strategy (default: the site's). */
  variant(strategyYaml?: StrategyYaml, strategy?: SiteStrategy): string;
  /** nginx's front door: http://127.0.0.1:PORT. */
  url: string;
  upstreamFile: string;
  stateDir: string;
  /** The inputs of a deploy step besides version: config and environment. */
  inputs: { config: string; environment: string };
  journal(): Journal;
  /** GET /version through nginx on a connection of its own, the body trimmed. */
  served(): Promise<string>;
  /** Stop nginx, remove the app's containers (and the compose project's volume) and the site's files. */
  close(): Promise<void>;
}

/** `canary:` for a test that gives none: two short steps judged on the access log, with the header route. */
const defaultCanary = (p: SitePaths): string => `  canary:
    steps: [{ weight: 50, pause: 3s }, { weight: 100, pause: 0s }]
    gates: { error-rate: 0.2, min-samples: 5 }
    access-log: ${p.accessLog}
    route: { header: ${ROUTE_HEADER}, file: ${p.routeFile} }
`;

export async function progressiveSite(name: string, o: ProgressiveSiteOptions): Promise<ProgressiveSite> {
  const docker = sandboxPart('docker');
  const app = `${name}${randomBytes(3).toString('hex')}`.toLowerCase().replace(/[^a-z0-9-]/g, '');
  // nginx's port, then the ten host ports of the replicas.
  const [port, hi] = await freePortRange(11);
  const lo = port + 1;
  const dir = mkdtempSync(join(tmpdir(), `progressive-site-${app}-`));
  chmodSync(dir, 0o755); // nginx's workers (nobody) reach their temp paths through it
  const prefix = join(dir, 'nginx');
  const paths: SitePaths = { accessLog: join(prefix, 'logs/canary.log'), routeFile: join(prefix, 'conf.d/route.conf') };
  const nginx = ownNginx(prefix, {
    http: [
      "# Each request and its upstream attempts, for canary analysis (runbook-actions' format).",
      ACCESS_LOG_FORMAT,
    ],
    confd: {
      'upstream.conf': `# Shop API: the servers deploys switch (runbook-actions rewrites the server lines)
upstream ${UPSTREAM} {
    keepalive 16;
    server 127.0.0.1:9 down;  # nothing deployed yet
}
`,
      'route.conf': `# Canary header route: none yet (every request to ${UPSTREAM}); a canary with a route rewrites this file
map $http_${ROUTE_HEADER.toLowerCase().replaceAll('-', '_')} $${UPSTREAM}_pick {
    default ${UPSTREAM};
}
upstream ${UPSTREAM}_canary {
    server 127.0.0.1:9 down;
}
`,
      'site.conf': `server {
    listen 127.0.0.1:${port};
    ${accessLogDirective(paths.accessLog)}
    location / {
        proxy_pass http://$${UPSTREAM}_pick;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_next_upstream error timeout http_502 http_503;
        proxy_connect_timeout 2s;
        add_header X-Upstream $upstream_addr always;
    }
}
`,
    },
  });
  const upstreamFile = join(nginx.confd, 'upstream.conf');
  const stateDir = join(dir, 'state');
  mkdirSync(stateDir);
  let compose: SiteCompose | undefined;
  if (o.driver === 'compose') {
    compose = { directory: join(dir, 'site'), project: app, secret: `pg-secret-${randomBytes(8).toString('hex')}` };
    mkdirSync(compose.directory);
    writeComposeApp(compose.directory, compose.secret);
  }
  const service = compose ? 'app' : 'api';
  const target = compose
    ? `{ name: local, local: true, docker-socket: ${docker.socket}, env: { DOCKER_HOST: "${docker.host}" } }`
    : `{ name: local, local: true, docker-socket: ${docker.socket} }`;
  const services = compose
    ? `${composeSectionYaml(compose.directory, compose.project)}services:
  app:
    image: runbook-test-app
    replicas: 2
    network: host
    host-ports: ${lo}-${hi}
    health: { container: true, interval: 300ms, deadline: 15s, stable: 1s }
`
    : `services:
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
`;

  let n = 0;
  const variant = (strategyYaml = o.strategyYaml, strategy = o.strategy): string => {
    const extra = typeof strategyYaml === 'function' ? strategyYaml(paths) : (strategyYaml ?? '');
    const lines = extra === '' || extra.endsWith('\n') ? extra : `${extra}\n`;
    const canary = strategy === 'canary' && !/^ {2}canary:/m.test(lines) ? defaultCanary(paths) : '';
    const path = join(dir, `runbook-${n++}.yml`);
    writeFileSync(
      path,
      `app: ${app}
environments:
  ${ENVIRONMENT}:
    targets: [${target}]
    state-dir: ${stateDir}
    url: http://127.0.0.1:${port}
${services}strategy:
  type: ${strategy}
  drain: 300ms
  keep-releases: 2
  prune-images: false
  proxy:
    nginx:
      upstream-file: ${upstreamFile}
      upstream: ${UPSTREAM}
      test: ${yamlList([...nginx.argv, '-t'])}
      reload: ${yamlList([...nginx.argv, '-s', 'reload'])}
      pid-file: ${nginx.pidFile}
${canary}${lines}`,
    );
    return path;
  };
  const config = variant();
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    service,
    ...(compose ? { compose } : {}),
    config,
    variant,
    url,
    ...paths,
    upstreamFile,
    stateDir,
    inputs: { config, environment: ENVIRONMENT },
    journal: () => JSON.parse(readFileSync(join(stateDir, ENVIRONMENT, 'journal.json'), 'utf8')) as Journal,
    served: () => fetchText(`${url}/version`),
    close: async () => {
      await nginx.close();
      try {
        removeApp(docker.host, app, compose && { project: compose.project, cwd: compose.directory });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
