/** The meaning of `strategy:`, its nginx proxy and canary plan (see reference.ts for the shape and how docs are generated). */

import type { KeyReferences, SectionReference } from './reference.js';
import { PROGRESSIVE_KEYS, PROGRESSIVE_SECTIONS } from './reference-progressive.js';

const N = 'strategy.proxy.nginx';

export const STRATEGY_KEYS: KeyReferences = {
  ...PROGRESSIVE_KEYS,
  'strategy.type': {
    meaning:
      'How a deploy replaces replicas: `rolling` (one batch at a time behind nginx), `recreate` (stop, then start), `blue-green` (the new release in the other slot, switched at once; [blue-green](#blue-green)) or `canary` (weighted steps judged on real traffic; [canary](#canary)); the `strategy` input can override this key for one run. `blue-green` and `canary` need `proxy`, `canary` also `canary`. With the compose driver, `recreate` runs `compose up --force-recreate` for each service on its one published port, so requests fail for the moment of the swap; `rolling` creates each replica through the Engine API from the service as `compose config` resolves it, on its own host port, which needs `services.<name>.host-ports` and a `services.<name>.network` that matches the compose file.',
    example: 'recreate',
  },
  'strategy.order': {
    meaning:
      'The order in which services are deployed. Each name must be a key of `services`, and services not listed follow in file order.',
    example: ['api', 'web', 'workers'],
    defaultNote: 'file order',
  },
  'strategy.max-surge': {
    meaning: 'Rolling: how many new replicas start beside the old ones at a time.',
    example: 2,
  },
  'strategy.batch-size': {
    meaning:
      'Fleets: how many hosts deploy at once, each over its own connection: a count from 1 to 1000 or a share of the hosts (`25%`, rounded up). Default 1: one host after another. A host that fails stops the rollout.',
    example: '25%',
  },
  'strategy.max-unavailable': {
    meaning:
      'The same as `batch-size`, said the other way: how many hosts may be changing at once. Set one of the two.',
    example: 2,
  },
  'strategy.on-failure': {
    meaning:
      'Fleets: when a host fails, `rollback` puts the hosts already switched back on the release that was live; `pause` leaves every host as it is (the report says which runs what). The next deploy or rollback brings every host to one release.',
    example: 'pause',
    default: 'rollback',
  },
  'strategy.host-timeout': {
    meaning:
      'Fleets: the longest one host may take for its part of a release, from `10s` to `6h`; a host past it (an sshd that hangs) fails, and the rollout stops.',
    example: '10m',
    default: '15m',
  },
  'strategy.drain': {
    meaning:
      'How long a replica that was taken out of the nginx upstream keeps running before it is stopped: from `0s` to `1h`.',
    example: '30s',
    default: '10s',
  },
  'strategy.keep-releases': {
    meaning: 'Releases kept for instant rollback (their stopped containers and images), the current one included.',
    example: 5,
  },
  'strategy.prune-images': {
    meaning:
      'Remove the images of releases that retention removes, but never an image that a kept release uses, nor one without a registry digest (built or loaded on the host): no pull could give that one back, so it is kept and the log says why.',
    example: false,
  },
  'strategy.proxy': {
    meaning: 'Where traffic is switched. Only `nginx` is supported.',
    example: { nginx: { 'upstream-file': '/etc/nginx/conf.d/shop-upstream.conf', upstream: 'shop_api' } },
  },
  'strategy.driver': {
    meaning:
      '`engine` manages containers through the Docker Engine API; `compose` uses the compose CLI on the host, and with `type: rolling` also the Engine API, to create the replicas of each compose service from its resolved compose file; `swarm` makes each config service a Docker Swarm service on the target (a swarm manager) and lets Swarm update it ([Docker Swarm](#docker-swarm)).',
    example: 'engine',
    defaultNote: '`compose` when `compose` is set, else `engine`',
  },
  'strategy.swarm': {
    meaning:
      "With `driver: swarm`: how Swarm updates each service (its UpdateConfig, and the same values as its RollbackConfig for Swarm's automatic rollback) and how long a deploy waits for the service to converge.",
    example: { parallelism: 1, delay: '5s', order: 'start-first', 'failure-action': 'rollback', monitor: '15s' },
  },
  'strategy.swarm.parallelism': {
    meaning: 'How many tasks Swarm replaces at once, from 1 to 100.',
    example: 2,
  },
  'strategy.swarm.delay': {
    meaning: 'The pause between two batches of tasks, from `0s` to `1h`.',
    example: '10s',
    default: '5s',
  },
  'strategy.swarm.order': {
    meaning:
      '`start-first`: a new task starts and must be healthy (its container health check) before the old task of its slot stops, so the slot never goes without a server; `stop-first`: the old task stops first (needed when two tasks cannot run side by side).',
    example: 'stop-first',
    default: 'start-first',
  },
  'strategy.swarm.failure-action': {
    meaning:
      "What Swarm does when a task of the update fails (exits, or its health check calls it unhealthy): `rollback` goes back to the service's previous spec, `pause` stops the update where it is. Either way the deploy fails, naming the task and why.",
    example: 'pause',
    default: 'rollback',
  },
  'strategy.swarm.monitor': {
    meaning:
      "How long Swarm watches each updated task for a failure, from `1s` to `1h` (what `services.<name>.health.stable` is for the other drivers); the update is complete only after the last task's window.",
    example: '30s',
    default: '15s',
  },
  'strategy.swarm.max-failure-ratio': {
    meaning: 'The share of tasks that may fail during an update before its failure action, from 0 to 1.',
    example: 0.2,
    default: 0,
  },
  'strategy.swarm.converge-timeout': {
    meaning:
      'The longest a deploy or rollback waits for the service to converge (every task of the release running, healthy and in the upstream), from `10s` to `6h`; past it the deploy asks Swarm to roll the service back and fails.',
    example: '20m',
    default: '10m',
  },
  [N]: {
    meaning:
      'An nginx upstream file that lists exactly the live, healthy replicas ([server setup](server-setup.md#nginx)).',
    example: { 'upstream-file': '/etc/nginx/conf.d/shop-upstream.conf', upstream: 'shop_api' },
  },
  [`${N}.upstream-file`]: {
    meaning:
      "The file that lists the replicas: it holds the whole `upstream NAME { … }` block, or only its `server` lines, included inside that block elsewhere. Only the upstream's primary `server` lines change; if `test` rejects the new file, the old bytes are put back. The deploy user must be able to write the file (or, for atomic writes, its directory).",
    example: '/etc/nginx/conf.d/shop-upstream.conf',
  },
  [`${N}.container`]: {
    meaning:
      "nginx runs in this container (name or id) on the target. `test` and `reload` run inside it through the Engine API, its main process is the master (so `pid-file` is not used), and `upstream-file` is the host path of the file nginx reads. Mount the file's directory into the container, not the file alone: a file mounted alone keeps its old content inside after an atomic replace.",
    example: 'edge-nginx',
    defaultNote: 'nginx runs on the host',
  },
  [`${N}.upstream`]: { meaning: 'The upstream name: letters, digits and `_`.', example: 'shop_api' },
  [`${N}.test`]: {
    meaning:
      'Checks the configuration before a reload. Run as the deploy user: use `[sudo, -n, nginx, -t]` with a sudoers rule when nginx needs root ([server setup](server-setup.md#sudo-for-nginx)).',
    example: ['sudo', '-n', 'nginx', '-t'],
  },
  [`${N}.reload`]: {
    meaning: 'Tells nginx to load the new upstream file. Run as the deploy user, like `test`.',
    example: ['sudo', '-n', 'nginx', '-s', 'reload'],
  },
  [`${N}.pid-file`]: {
    meaning:
      "nginx's pid file (the `pid` directive of nginx.conf): a switch is done only when workers that started after the reload are serving, so a missing file is refused before the upstream file changes.",
    example: '/var/run/nginx.pid',
  },
  [`${N}.service`]: {
    meaning: 'The service behind this upstream.',
    example: 'api',
    defaultNote: 'the first service deployed',
  },
};

export const STRATEGY_SECTIONS: readonly SectionReference[] = [
  {
    path: 'strategy',
    title: '`strategy`',
    examples: [
      `strategy:
  type: rolling
  order: [api, web, workers]
  max-surge: 1
  drain: 10s
  keep-releases: 3
  prune-images: true
  driver: engine
  proxy:
    nginx:
      upstream-file: /etc/nginx/conf.d/shop-upstream.conf
      upstream: shop_api
      test: [sudo, -n, nginx, -t]
      reload: [sudo, -n, nginx, -s, reload]
      pid-file: /run/nginx.pid
      service: api
`,
    ],
  },
  {
    path: 'strategy.swarm',
    title: 'Docker Swarm',
    intro:
      "`strategy.driver: swarm` deploys each service as a Swarm service named `<app>-<environment>-<service>` on the environment's one target, which must be a swarm manager. Its tasks run on the host network, each on its own port from `services.<name>.host-ports` (told in `port-env`), so nginx reaches every task directly; `secret-env` values become Swarm secrets mounted at `/run/secrets/<VAR>`, with `<VAR>_FILE` in the environment.",
    examples: [
      `strategy:
  type: rolling
  driver: swarm
  swarm:
    parallelism: 1
    delay: 5s
    order: start-first
    failure-action: rollback
    monitor: 15s
    max-failure-ratio: 0
    converge-timeout: 10m
`,
    ],
  },
  {
    path: 'strategy.proxy',
    title: 'nginx',
    intro:
      'The deploy user writes the upstream file and runs `test` and `reload`: [server setup](server-setup.md#nginx) shows the file layouts and a sudoers rule that allows only those two commands.',
  },
  ...PROGRESSIVE_SECTIONS,
];
