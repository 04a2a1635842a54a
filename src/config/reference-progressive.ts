/** The meaning of `strategy.blue-green` and `strategy.canary` (see reference.ts for the shape and how docs are generated). */
import { ACCESS_LOG_FORMAT } from '../commands/nginx.js';
import type { KeyReferences, SectionReference } from './reference.js';

const C = 'strategy.canary';
const G = `${C}.gates`;

export const PROGRESSIVE_KEYS: KeyReferences = {
  'strategy.blue-green': {
    meaning:
      'Blue-green options, used with `type: blue-green`: the new release starts in the slot the live one does not hold, passes its health gate and the smoke checks on its own ports, then the upstream switches to it in one reload; the old slot keeps running out of traffic.',
    example: { standby: '30m', verify: 5 },
    default: {},
  },
  'strategy.blue-green.standby': {
    meaning:
      'How long the old slot stays the standby that `rollback` with scope `traffic` switches back to at once (after checking it is still healthy): from `0s` to `7d`. After it, the next deploy stops the standby (kept for a rollback with scope `image`); a blue-green deploy reuses that slot anyway.',
    example: '1h',
    default: '30m',
  },
  'strategy.blue-green.verify': {
    meaning:
      "Requests sent through nginx (the environment's `url` plus the health path) right after the switch; one answered 5xx or not at all switches back at once. `0`: none.",
    example: 5,
    default: 5,
  },
  [C]: {
    meaning:
      "The canary plan, used with `type: canary`: the new release starts beside the live one, and each step gives it a share of the upstream's requests (nginx `weight=`), holds it for the step's pause, and judges it. A breach aborts: the upstream goes back byte for byte, the canary stops, the live release stays the live one.",
    example: { 'access-log': '/var/log/nginx/shop-canary.log', gates: { 'error-rate': 0.01 } },
  },
  [`${C}.steps`]: {
    meaning:
      "The traffic steps, in order. After the last one passes, the canary takes all traffic (a last step below 100 % is followed by the promotion without another window). The NOA runbook's progression is `[{weight: 10, pause: 5m}, {weight: 25, pause: 5m}, {weight: 50, pause: 5m}, {weight: 75, pause: 5m}, {weight: 100, pause: 5m}]`.",
    example: [
      { weight: 5, pause: '10m' },
      { weight: 50, pause: 'until-promoted' },
      { weight: 100, pause: '5m' },
    ],
    defaultNote: '1, 5, 25, 50, 100 %, five minutes each',
  },
  [`${C}.steps[].weight`]: {
    meaning: "The canary's share of requests, in percent (1 to 100). Weights must not decrease.",
    example: 25,
  },
  [`${C}.steps[].pause`]: {
    meaning:
      'How long the step holds and is measured (`0s` to `1d`), or `until-promoted`: the run ends with the canary at this weight, and `runbook promote` (or the promote action) goes on; `runbook abort` takes it out.',
    example: '15m',
  },
  [G]: {
    meaning: 'The limits each step is judged on. Too few samples is inconclusive, which never passes.',
    example: { 'error-rate': 0.001, p95: '500ms', 'min-samples': 200 },
    default: {},
  },
  [`${G}.error-rate`]: {
    meaning: "The canary's maximum share of failed requests (5xx, no answer, timed out) in a step.",
    example: 0.001,
    default: 0.01,
  },
  [`${G}.p95`]: {
    meaning: "The canary's maximum 95th-percentile latency (`1ms` to `1m`); failed and timed-out requests count.",
    example: '500ms',
  },
  [`${G}.p99`]: { meaning: "The canary's maximum 99th-percentile latency (`1ms` to `1m`).", example: '1s' },
  [`${G}.max-increase`]: {
    meaning:
      "How far the canary's error rate may exceed the stable version's over the same window (a fraction: `0.005` is half a percentage point).",
    example: 0.005,
  },
  [`${G}.min-samples`]: {
    meaning: 'Requests each judged version must have served in the window; fewer is inconclusive.',
    example: 200,
    default: 50,
  },
  [`${G}.inconclusive`]: {
    meaning:
      '`fail`: an inconclusive step aborts; `wait`: it stays open up to `inconclusive-wait` longer for samples, then aborts.',
    example: 'wait',
    default: 'fail',
  },
  [`${G}.inconclusive-wait`]: {
    meaning: 'How much longer an inconclusive step waits for samples with `inconclusive: wait` (`0s` to `1d`).',
    example: '10m',
    default: '5m',
  },
  [`${C}.access-log`]: {
    meaning: `The nginx access log (on each target) of the server that proxies to the upstream, written in the \`runbook_canary\` format: \`${ACCESS_LOG_FORMAT}\` at http level and \`access_log PATH runbook_canary;\` in that server (beside any other access_log). Each version's requests are told apart by the upstream address; pre-deploy-check verifies the format.`,
    example: '/var/log/nginx/shop-canary.log',
  },
  [`${C}.probes`]: {
    meaning:
      "Requests the toolkit sends through nginx during each step (the environment's `url` plus `path`); with a `route`, they carry its header and so reach the canary; without one they are shared by weight like any request, so a quiet site's low steps get few.",
    example: { path: '/health', every: '1s', expect: { status: 200, json: { status: 'ok' } } },
  },
  [`${C}.probes.path`]: { meaning: 'The path probed.', example: '/health' },
  [`${C}.probes.every`]: { meaning: 'Time between two probes (`50ms` to `1m`).', example: '500ms', default: '1s' },
  [`${C}.probes.expect`]: { meaning: 'What a probe must get.', example: { status: 200 } },
  [`${C}.probes.expect.status`]: { meaning: 'The status, or a list of them.', example: 200 },
  [`${C}.probes.expect.json`]: {
    meaning: 'JSON fields (dotted paths) and the values they must have.',
    example: { status: 'ok' },
  },
  [`${C}.prometheus`]: {
    meaning:
      'Prometheus queries judged at the end of each step; a query that fails or returns no single value is inconclusive.',
    example: {
      url: 'http://127.0.0.1:9090',
      queries: [{ name: 'errors', query: 'sum(rate(http_errors_total{version="{{version}}"}[{{window}}]))', max: 0.5 }],
    },
  },
  [`${C}.prometheus.url`]: {
    meaning: "Prometheus's base URL, as the runner reaches it.",
    example: 'http://127.0.0.1:9090',
  },
  [`${C}.prometheus.queries`]: {
    meaning:
      "Queries whose single value is compared with `max` and/or `min`; `{{version}}` and `{{window}}` (the step's length, like `300s`) are filled in.",
    example: [
      { name: 'p95', query: 'histogram_quantile(0.95, sum by (le) (rate(http_seconds_bucket[{{window}}])))', max: 0.5 },
    ],
  },
  [`${C}.prometheus.queries[].name`]: { meaning: 'A short name for the summary.', example: 'errors' },
  [`${C}.prometheus.queries[].query`]: {
    meaning: 'The PromQL query.',
    example: 'sum(rate(http_errors_total[{{window}}]))',
  },
  [`${C}.prometheus.queries[].max`]: { meaning: 'The largest value that passes.', example: 0.5 },
  [`${C}.prometheus.queries[].min`]: { meaning: 'The smallest value that passes.', example: 1 },
  [`${C}.sticky`]: {
    meaning:
      "Keep each client on one version while the weights change: by a cookie, a request header, or the client address (`hash … consistent` in the upstream; raising the canary's weight keeps the clients it has). Requests without the cookie or header are not sticky (nginx balances them by weight), so pick one every client sends.",
    example: { cookie: 'session' },
  },
  [`${C}.sticky.cookie`]: { meaning: 'The cookie whose value picks the version.', example: 'session' },
  [`${C}.sticky.header`]: { meaning: 'The request header whose value picks the version.', example: 'X-User-Id' },
  [`${C}.sticky.address`]: { meaning: "`true`: the client's address picks the version.", example: true },
  [`${C}.route`]: {
    meaning:
      'Requests carrying `header` (any value) always reach the canary (testers, probes). The toolkit writes `file` (included by nginx at http level) with a `map` to the variable `$<upstream>_pick` and an upstream `<upstream>_canary`; the site proxies with `proxy_pass http://$<upstream>_pick;`.',
    example: { header: 'X-Canary', file: '/etc/nginx/conf.d/shop-route.conf' },
  },
  [`${C}.route.header`]: { meaning: 'The header.', example: 'X-Canary' },
  [`${C}.route.file`]: { meaning: 'The route file the toolkit writes.', example: '/etc/nginx/conf.d/shop-route.conf' },
};

export const PROGRESSIVE_SECTIONS: readonly SectionReference[] = [
  {
    path: 'strategy.blue-green',
    title: 'Blue-green',
    examples: [
      `strategy:
  type: blue-green
  proxy: { nginx: { upstream-file: /etc/nginx/conf.d/shop-upstream.conf, upstream: shop_api } }
  blue-green: { standby: 1h, verify: 5 }
`,
    ],
  },
  {
    path: C,
    title: 'Canary',
    examples: [
      `strategy:
  type: canary
  proxy: { nginx: { upstream-file: /etc/nginx/conf.d/shop-upstream.conf, upstream: shop_api } }
  canary:
    access-log: /var/log/nginx/shop-canary.log
    steps: [{ weight: 10, pause: 5m }, { weight: 25, pause: 5m }, { weight: 50, pause: until-promoted }, { weight: 75, pause: 5m }, { weight: 100, pause: 5m }]
    gates: { error-rate: 0.01, p95: 1s, max-increase: 0.005, min-samples: 200, inconclusive: wait }
    sticky: { cookie: session }
    route: { header: X-Canary, file: /etc/nginx/conf.d/shop-route.conf }
`,
    ],
  },
];
