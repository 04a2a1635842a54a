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
      '`engine` manages containers through the Docker Engine API; `compose` uses the compose CLI on the host, and with `type: rolling` also the Engine API, to create the replicas of each compose service from its resolved compose file.',
    example: 'engine',
    defaultNote: '`compose` when `compose` is set, else `engine`',
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
    path: 'strategy.proxy',
    title: 'nginx',
    intro:
      'The deploy user writes the upstream file and runs `test` and `reload`: [server setup](server-setup.md#nginx) shows the file layouts and a sudoers rule that allows only those two commands.',
  },
  ...PROGRESSIVE_SECTIONS,
];
