/** The meaning of `compose:` and `services:` (see reference.ts for the shape and how docs are generated). */
import type { KeyReferences, SectionReference } from './reference.js';

const S = 'services.<name>';
const H = 'services.<name>.health';

const COMPOSE_KEYS: KeyReferences = {
  'compose.command': {
    meaning: 'The compose program. Use `[docker-compose]` for Compose v1, or any other argv.',
    example: ['docker', 'compose'],
  },
  'compose.directory': {
    meaning: 'The directory on the target that holds the compose files. Commands run there.',
    example: '/opt/shop',
  },
  'compose.files': {
    meaning: 'Passed as `-f` options, in order. A path cannot start with `-`.',
    example: ['docker-compose.yml', 'docker-compose.prod.yml'],
  },
  'compose.project': {
    meaning: 'The project name (`-p`): lowercase letters, digits, `_` and `-`.',
    example: 'shop',
  },
  'compose.env-file': { meaning: 'Passed as `--env-file`.', example: '.env.production' },
  'compose.version-env': {
    meaning: `The variable that the compose file reads the image tag from, as in \`image: acme/api:\${APP_VERSION}\`. The deploy sets it to its \`version\` input.`,
    example: 'APP_VERSION',
  },
  'compose.pull': {
    meaning:
      'Deprecated: use `services.<name>.pull`. When a service sets no `pull`, `true` reads as `pull: always` and `false` as `pull: missing`, and each deploy warns.',
    example: false,
    defaultNote: 'unset: the default of `services.<name>.pull`',
  },
};

const SERVICE_ONLY_KEYS: KeyReferences = {
  [`${S}.image`]: {
    meaning: "The image repository without a tag, such as `ghcr.io/acme/shop-api`: the deploy's `version` is the tag.",
    example: 'ghcr.io/acme/shop-api',
  },
  [`${S}.pull`]: {
    meaning:
      'When a deploy pulls the image: `always` pulls it every time, so a tag that CI pushed again (`staging`, `latest`) runs the new build; `missing` pulls only an image that is not on the target; `never` never pulls and fails before anything changes, naming the image, when it is not there. The default is `always` when `image` names a registry host (its first path part has a `.` or `:`, or is `localhost`: `ghcr.io/acme/api`, `127.0.0.1:5000/app`), and `missing` for any other name (`app`, `acme/api`): such an image is often built or loaded on the host, where a pull would fail. Docker Hub images like `acme/api` are in that second group: set `always` for them when their tags move. With the compose driver and `recreate`, `always` runs `compose pull` before `up`, and `missing` leaves it to `up`; with `rolling`, the image that the compose file resolves to is pulled as the engine driver pulls. The journal records the image id and the registry digest that the containers run, read after the pull.',
    example: 'always',
    defaultNote: '`always` if `image` names a registry host, else `missing`',
  },
  [`${S}.roles`]: {
    meaning:
      'The roles of the hosts this service runs on (`environments.<name>.targets[].roles`). Default: every host. A role no target of an environment plays is an error.',
    example: ['web'],
  },
  [`${S}.replicas`]: {
    meaning: 'Containers per target, with the engine driver or with the compose driver and `type: rolling`.',
    example: 2,
  },
  [`${S}.port`]: {
    meaning:
      "The container port. It is also the default port for the health check. With the compose driver and `recreate`, it is the port the compose file publishes on the host: the health probe and the nginx upstream use `127.0.0.1:<port>`. With `rolling` and `network: bridge`, it is the container port that each replica's host port is published to.",
    example: 8000,
  },
  [`${S}.host-ports`]: {
    meaning:
      "The host ports that replicas get, one each, the lowest free port first. The range needs at least `replicas + max-surge` free ports. With `network: bridge`, `port` is required, and each host port is published on 127.0.0.1 to it. A compose service rolled with `type: rolling` needs it too: the compose file's `ports` are replaced by one port from this range per replica.",
    example: '18000-18009',
  },
  [`${S}.network`]: {
    meaning:
      "With `host`, the container shares the host's network and listens on its assigned host port, which it is told in `port-env`. With the compose driver and `type: rolling`, it must match the compose file: `host` for a service with `network_mode: host`, `bridge` for one on a network (its host port is published to `port`); a mismatch fails the deploy before anything changes.",
    example: 'host',
  },
  [`${S}.port-env`]: {
    meaning: 'With `network: host`, the variable that gives the app its port.',
    example: 'PORT',
  },
  [`${S}.env`]: {
    meaning: "The container's environment. It must not hold secrets, because it is part of this file.",
    example: { LOG_LEVEL: 'info' },
  },
  [`${S}.command`]: {
    meaning: "The container command, which replaces the image's. Its first item may start with `-`.",
    example: ['python', '-m', 'workers'],
  },
  [`${S}.health`]: {
    meaning:
      'The health gate, which must pass before traffic moves. It needs exactly one of `http` or `container`. Without it, each replica must keep running for 3 s (within 30 s), and a replica with a host port must accept a TCP connection on it.',
    example: { http: { path: '/health' } },
  },
  [`${S}.stop-grace`]: {
    meaning:
      'The time a container gets between SIGTERM and SIGKILL when it is stopped, rounded up to whole seconds: from `0s` to `1h`.',
    example: '20s',
    default: '10s',
  },
  [`${S}.secret-env`]: {
    meaning:
      "Secrets for the container (engine driver; a compose service keeps its secrets in its `env_file`, whose values are masked): the names of environment variables of the step on the runner, whose values go into the container's environment. A list keeps each name; a mapping gives the container's name → the runner's name. The values are masked in every log line and never written to the journal, a log or a file. A variable that is unset or empty fails the deploy before anything changes, naming it. A name cannot also be in `env`.",
    example: ['DATABASE_URL', 'SECRET_KEY'],
  },
  [`${S}.env-file`]: {
    meaning:
      "An absolute path of a file on the target, read at each deploy (engine driver), in Docker's `--env-file` format: `KEY=VALUE` lines, taken as they are (quotes are kept); blank lines and `#` lines are skipped. Its values are masked in the logs. `env` wins over it; a missing file fails the deploy before anything changes.",
    example: '/etc/shop/api.env',
  },
  [`${S}.volumes`]: {
    meaning:
      'Mounts, as `SOURCE:CONTAINER-PATH[:ro|rw]`. The source is a named volume (created by Docker when missing) or an absolute host path (bind mount). The container path is absolute, and each is mounted once.',
    example: ['data:/var/lib/app', '/srv/uploads:/app/uploads:ro'],
  },
  [`${S}.networks`]: {
    meaning:
      "Existing Docker networks that the containers join instead of the default bridge, with `network: bridge` only (up to 10, each once). On each, a replica answers to the service's name (a DNS alias, as compose gives its containers), so other containers there reach it as `http://<service>:<port>`. Host ports are still published to `port`.",
    example: ['shop-internal', 'shop-db'],
  },
  [`${S}.labels`]: {
    meaning:
      "Container labels. Names under `io.runbook.` are refused, because the toolkit's own labels tie containers to releases.",
    example: { 'com.example.team': 'shop' },
  },
  [`${S}.restart`]: {
    meaning:
      "Docker's restart policy: `no`, `on-failure`, `on-failure:N` (at most N restarts), `always` or `unless-stopped`.",
    example: 'on-failure:5',
    default: 'unless-stopped',
  },
  [`${S}.user`]: {
    meaning: "The user the container's process runs as: a name or uid, optionally with `:group` or `:gid`.",
    example: '1000:1000',
  },
  [`${S}.memory`]: {
    meaning:
      "The container's memory limit, a size such as `512MiB` or `1GB`; at least `6MiB`, Docker's minimum, and at most `4TiB`.",
    example: '512MiB',
  },
  [`${S}.cpus`]: { meaning: 'The CPU limit, in CPUs, from 0.01 to 256.', example: 1.5 },
  [`${S}.log`]: {
    meaning: "The container's logging driver and its options, as `docker run --log-driver` and `--log-opt` take them.",
    example: { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } },
  },
  [`${S}.log.driver`]: {
    meaning: 'The logging driver, such as `json-file`, `local`, `journald` or `syslog`.',
    example: 'local',
  },
  [`${S}.log.options`]: {
    meaning: 'Options of the driver, name → text value (quote numbers).',
    example: { 'max-size': '10m', 'max-file': '3' },
  },
  [`${S}.extra-hosts`]: {
    meaning:
      "Lines added to the container's `/etc/hosts`, as `NAME:ADDRESS`. The address is an IP address, or `host-gateway` for the host itself.",
    example: ['db.internal:10.0.0.7', 'host.docker.internal:host-gateway'],
  },
  [`${H}.http`]: {
    meaning: 'The target probes the replica over HTTP.',
    example: { path: '/health', expect: { status: 200 } },
  },
  [`${H}.http.path`]: { meaning: 'The URL path to probe: it starts with `/`, with no spaces.', example: '/health' },
  [`${H}.http.port`]: { meaning: 'The container port to probe.', example: 8000, defaultNote: "the service's `port`" },
  [`${H}.http.scheme`]: {
    meaning:
      "With `https`, the probe speaks TLS and verifies the certificate against the system's CAs, unless `tls` says otherwise. The name checked is the `Host` header's (it is also sent as SNI), or else the probed address.",
    example: 'https',
  },
  [`${H}.http.headers`]: {
    meaning:
      'Request headers of the probe, such as `{ Host: api.example.com }` for an app that answers 400 to other hosts. A name is an RFC 9110 token, and a value is one line without control characters. `Connection`, `Keep-Alive`, `Proxy-Connection`, `TE`, `Trailer`, `Upgrade`, `Transfer-Encoding`, `Content-Length` and `Expect` are refused, because the client sets them.',
    example: { Host: 'api.example.com' },
  },
  [`${H}.http.tls`]: {
    meaning: 'Only with `scheme: https`. Give `ca-file` or `insecure-skip-verify`, not both.',
    example: { 'ca-file': 'certs/internal-ca.pem' },
  },
  [`${H}.http.tls.ca-file`]: {
    meaning:
      "A PEM file on the runner, relative to the step's working directory, with the CA certificates to trust instead of the system's. It is read once per deploy. A file that cannot be read, or that has no certificate, fails the deploy before the first probe.",
    example: 'certs/internal-ca.pem',
  },
  [`${H}.http.tls.insecure-skip-verify`]: {
    meaning: 'With `true`, any certificate is accepted and nothing is verified.',
    example: true,
  },
  [`${H}.http.expect`]: {
    meaning: 'What a healthy answer looks like.',
    example: { status: 200, json: { status: 'ready' } },
  },
  [`${H}.http.expect.status`]: {
    meaning: 'The status a healthy answer has, or a list of allowed statuses.',
    example: [200, 204],
    defaultNote: '`200`',
  },
  [`${H}.http.expect.json`]: {
    meaning:
      'Every path must hold that value. A path is dotted (`checks.db`), and `*` matches every element (`checks.*`).',
    example: { status: 'ready', 'checks.*': 'ok' },
  },
  [`${H}.container`]: {
    meaning:
      "Use the image's own HEALTHCHECK. A replica with a host port must also accept a TCP connection on it. An image without a HEALTHCHECK fails the deploy at once; configure `http` for such an image.",
    example: true,
  },
  [`${H}.interval`]: {
    meaning: 'The time between probes: from `100ms` to `5m`, and not more than `deadline`.',
    example: '2s',
    default: '2s',
  },
  [`${H}.timeout`]: {
    meaning: 'The limit for one probe: from `100ms` to `5m`. It must not exceed `deadline`.',
    example: '3s',
    default: '3s',
  },
  [`${H}.deadline`]: {
    meaning: 'A replica that is not healthy by then fails the deploy: from `1s` to `1h`.',
    example: '5m',
    default: '2m',
  },
  [`${H}.stable`]: {
    meaning:
      'After its first healthy answer, the replica must stay healthy and running for this long: from `0s` to `1h`.',
    example: '10s',
    default: '5s',
  },
};

export const SERVICE_KEYS: KeyReferences = { ...COMPOSE_KEYS, ...SERVICE_ONLY_KEYS };

export const SERVICE_SECTIONS: readonly SectionReference[] = [
  {
    path: 'compose',
    title: '`compose`',
    intro:
      'This is the compose driver, and the default driver when this section exists. Commands run in `directory` on each target, with the deployed tag in `version-env`. With `strategy.type: recreate`, each service is recreated on its one port (`compose up -d --no-deps --force-recreate`). With `rolling`, each replica is a container created through the Engine API from the service as `compose config` resolves it (env files, environment, volumes, networks (with the service’s name as an alias) or `network_mode`, healthcheck, labels, restart, user, logging, limits …), on its own port from `services.<name>.host-ports`; its `depends_on` services are started with `compose up -d --no-recreate`; `ports`, `container_name`, `expose`, `scale` and `hostname` are replaced or ignored, and a key that cannot be carried is refused, naming it.',
    examples: [
      `compose:
  command: [docker, compose]
  directory: /opt/shop
  files: [docker-compose.yml, docker-compose.prod.yml]
  project: shop
  env-file: .env.production
  version-env: APP_VERSION
`,
      `# A compose service rolled replica by replica: the compose file runs web with network_mode: host and reads PORT.
compose: { directory: /opt/shop, project: shop }
services:
  web:
    image: ghcr.io/acme/shop-web
    replicas: 2
    network: host
    port-env: PORT
    host-ports: 18000-18009
    health: { http: { path: /health } }
strategy:
  type: rolling
  proxy: { nginx: { upstream-file: /etc/nginx/conf.d/shop-upstream.conf, upstream: shop_web } }
`,
    ],
  },
  {
    path: 'services',
    title: '`services`',
    intro: "The deploy's `version` input is the image tag of every service it deploys.",
    examples: [
      `services:
  api:
    image: ghcr.io/acme/shop-api
    replicas: 2
    port: 8000
    host-ports: 18000-18009
    network: host
    port-env: PORT
    env: { LOG_LEVEL: info }
    stop-grace: 20s
    secret-env: [DATABASE_URL, SECRET_KEY]
    env-file: /etc/shop/api.env
    volumes: [data:/var/lib/app, /srv/uploads:/app/uploads:ro]
    labels: { com.example.team: shop }
    restart: unless-stopped
    user: "1000:1000"
    memory: 512MiB
    cpus: 1.5
    log: { driver: json-file, options: { max-size: 10m, max-file: "3" } }
    extra-hosts: [host.docker.internal:host-gateway]
    health:
      http: { path: /api/v1/health/ready, expect: { status: 200, json: { status: ready, "checks.*": ok } } }
      interval: 2s
      timeout: 3s
      deadline: 2m
      stable: 5s
  workers:
    image: ghcr.io/acme/shop-api
    command: [python, -m, workers]
    health: { container: true }
`,
    ],
  },
  { path: H, title: 'Health' },
];
