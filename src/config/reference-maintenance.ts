/** The meaning of `strategy.proxy.nginx.maintenance` (see reference.ts for the shape and how docs are generated). */
import type { KeyReferences, SectionReference } from './reference.js';

const M = 'strategy.proxy.nginx.maintenance';

export const MAINTENANCE_KEYS: KeyReferences = {
  [M]: {
    meaning:
      'Where the upstream points while the site is in maintenance (`runbook maintenance on`, the `maintenance` action, or the pipeline around a destructive migration): exactly one of `server` (a server you run) or `file` (a page nginx answers itself with `503` and `Retry-After`). `maintenance off` puts the upstream back. A deploy during maintenance starts and health-checks the new release but leaves traffic on this page until `off`.',
    example: { file: '/etc/nginx/conf.d/shop-maintenance.conf', listen: 8099, 'retry-after': '2m' },
  },
  [`${M}.server`]: {
    meaning:
      'A server you run that answers during maintenance, as an upstream `server` line writes it: `host:port` or `unix:/path`. It must accept connections before the upstream is pointed at it.',
    example: '127.0.0.1:8099',
  },
  [`${M}.file`]: {
    meaning:
      "The file the toolkit writes the page's `server { listen 127.0.0.1:<listen>; … return 503 … }` block into; nginx must include it at http level (like `conf.d/*.conf`) and the deploy user must be able to write it. It is tested with `test` before the reload (a file nginx rejects is put back or removed, and the upstream is not touched), and put back as it was by `maintenance off`.",
    example: '/etc/nginx/conf.d/shop-maintenance.conf',
  },
  [`${M}.listen`]: {
    meaning:
      "The port the page listens on, on 127.0.0.1 (needed with `file`): a port nothing else uses, outside the services' `host-ports`.",
    example: 8099,
  },
  [`${M}.retry-after`]: {
    meaning:
      'The `Retry-After` header the page sends with its `503`, in whole seconds (rounded up): from `1s` to `1d`. Only with `file`.',
    example: '5m',
    default: '2m',
  },
  [`${M}.body`]: {
    meaning: `The page's text: at most 8000 characters, without \`$\` (nginx would read a variable). Only with \`file\`.`,
    example: '<h1>Back soon</h1><p>We are upgrading the shop.</p>',
    defaultNote: '"The site is down for maintenance and will be back shortly."',
  },
  [`${M}.content-type`]: {
    meaning: "The page's media type. Only with `file`.",
    example: 'text/html; charset=utf-8',
    defaultNote: '`text/plain; charset=utf-8`',
  },
};

export const MAINTENANCE_SECTIONS: readonly SectionReference[] = [
  {
    path: M,
    title: 'Maintenance mode',
    intro:
      '`runbook maintenance on` points the upstream at the maintenance page (recorded in the journal, under the deploy lock); `runbook maintenance off` puts back the upstream as it was, or, when a deploy ran meanwhile, the servers of the live release. The root action wraps a migration with destructive statements in it (`maintenance: auto`).',
    examples: [
      `strategy:
  type: rolling
  proxy:
    nginx:
      upstream-file: /etc/nginx/conf.d/shop-upstream.conf
      upstream: shop_api
      maintenance:
        file: /etc/nginx/conf.d/shop-maintenance.conf
        listen: 8099
        retry-after: 2m
        content-type: text/html; charset=utf-8
        body: <h1>Back soon</h1><p>We are upgrading the shop.</p>
`,
      `strategy:
  type: rolling
  proxy:
    nginx:
      upstream-file: /etc/nginx/conf.d/shop-upstream.conf
      upstream: shop_api
      maintenance: { server: 127.0.0.1:8099 }
`,
    ],
  },
];
