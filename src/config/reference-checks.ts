/** The meaning of `checks:` and `smoke:` (see reference.ts for the shape and how docs are generated). */
import type { KeyReferences, SectionReference } from './reference.js';

const C = 'smoke.checks[]';

const CHECK_KEYS: KeyReferences = {
  'checks.min-free-disk': {
    meaning: 'The minimum free space on each of `disk-paths`. Within 1.5× of the minimum, the check warns.',
    example: '5GiB',
    default: '20%',
  },
  'checks.disk-paths': {
    meaning: 'The filesystems whose free space is checked, on every target.',
    example: ['/', '/var/lib/docker', '/backups'],
    default: ['/'],
  },
  'checks.docker': {
    meaning: 'The minimum Docker Engine version. `false` skips the check.',
    example: '>=25',
    default: '>=24',
  },
  'checks.compose': {
    meaning: 'The minimum Docker Compose version. `false` skips the check.',
    example: false,
    default: '>=2.20',
  },
  'checks.required-secrets': {
    meaning: "Each variable must be set and not empty in the step's environment. Their values are masked.",
    example: ['DB_PASSWORD', 'JWT_SECRET'],
    default: [],
  },
  'checks.backup-max-age': {
    meaning:
      'The newest verified backup in `database.backup.directory` must be younger than this: from `1m` to `366d`.',
    example: '6h',
  },
  'checks.incident-label': {
    meaning:
      'An open issue with this label in the repository blocks deploys (this needs the `github-token` input with `issues: read`).',
    example: 'incident',
  },
  'checks.ci': {
    meaning:
      "The commit's CI must be green before a deploy: every GitHub check run and commit status on it (or those named in `required`) concluded success, neutral or skipped. Checks of the run itself are left out; pending ones are waited for up to `wait`, then the check fails. Needs the `github-token` input with `checks: read` and `statuses: read`.",
    example: { required: ['build', 'test'], wait: '15m' },
  },
  'checks.ci.required': {
    meaning:
      'Check run names or status contexts that must have reported success; a missing one is waited for, then fails.',
    example: ['build', 'test'],
  },
  'checks.ci.ignore': { meaning: 'Checks and statuses never waited for nor counted.', example: ['nightly-e2e'] },
  'checks.ci.wait': {
    meaning: 'How long pending checks are waited for: from `0s` to `6h`.',
    example: '15m',
    default: '10m',
  },
  'checks.ci.poll': {
    meaning: 'How often GitHub is asked again meanwhile: from `5s` to `5m`.',
    example: '30s',
    default: '15s',
  },
  'checks.windows': {
    meaning: 'Deploy windows. When any are given, deploys are allowed only inside one of them.',
    example: [{ days: ['mon', 'tue', 'wed', 'thu'], from: '09:00', to: '16:00', tz: 'Europe/Berlin' }],
  },
  'checks.windows[].days': { meaning: 'At least one day, with no repeats.', example: ['mon', 'tue', 'wed'] },
  'checks.windows[].from': { meaning: 'The local start, included. Quote it.', example: '09:00' },
  'checks.windows[].to': {
    meaning:
      'The local end, excluded. It must come after `from`, and `"24:00"` means the end of the day. Split a window that crosses midnight in two.',
    example: '16:00',
  },
  'checks.windows[].tz': { meaning: 'The zone of `from` and `to`.', example: 'Europe/Berlin' },
  'checks.freeze': {
    meaning: 'Change freezes: no deploys from `from` to `to`.',
    example: [{ from: '2026-12-20', to: '2027-01-04', reason: 'holidays' }],
  },
  'checks.freeze[].from': {
    meaning: 'The start: `2026-12-20` (the whole day) or `2026-12-20T18:00`.',
    example: '2026-12-20',
  },
  'checks.freeze[].to': { meaning: 'The end, included. It must not come before `from`.', example: '2027-01-04' },
  'checks.freeze[].tz': { meaning: 'The zone of `from` and `to`.', example: 'Europe/Berlin' },
  'checks.freeze[].reason': { meaning: 'Shown when the freeze blocks a deploy.', example: 'holidays' },
};

const SMOKE_KEYS: KeyReferences = {
  'smoke.checks': {
    meaning: "The checks, with unique names. The smoke-test action's `checks` input replaces this list.",
    example: [{ name: 'ready', url: '/health' }],
  },
  'smoke.sample': {
    meaning: 'A short load sample against the first check.',
    example: { requests: 100, rate: '20/s', p95: '500ms' },
  },
  'smoke.wait': {
    meaning:
      "Retry failing checks for this long, at most `1h`. The action's `wait` input overrides it. A cancel stops the wait at once.",
    example: '60s',
    defaultNote: '`0s` (one round)',
  },
  [`${C}.name`]: {
    meaning: 'Shown in the report. Letters, digits, spaces, `_`, `.` and `-`, at most 63 characters.',
    example: 'ready',
  },
  [`${C}.method`]: { meaning: 'The HTTP method.', example: 'POST' },
  [`${C}.url`]: {
    meaning:
      "An absolute http(s) URL without credentials, or a path starting with `/` that is resolved against the environment's `url` (or the `url` input).",
    example: '/api/v1/health/ready',
  },
  [`${C}.headers`]: {
    meaning: `Request headers. A value is one line, and it can use a secret as \`\${env.NAME}\`. The secret is read from the step's environment and masked.`,
    example: { Authorization: `Bearer \${env.TEST_TOKEN}` },
  },
  [`${C}.body`]: { meaning: 'The request body.', example: '{"query": "ping"}' },
  [`${C}.expect`]: {
    meaning: 'What a passing answer looks like. TLS is always verified, and a body is cut at 256 KiB.',
    example: { status: 200, json: { status: 'ready' } },
  },
  [`${C}.expect.status`]: {
    meaning: 'A status, a list of statuses, a class (`"2xx"`), or an inclusive range (`"200-399"`).',
    example: '2xx',
    defaultNote: 'any 2xx',
  },
  [`${C}.expect.json`]: {
    meaning:
      'Every path must hold the value, one of the listed values, or exist (`{ exists: true }`) or not (`{ exists: false }`). A path is dotted, and `*` matches every element (`items.*.status`).',
    example: { status: 'ready', 'checks.*': 'ok', error: { exists: false } },
  },
  [`${C}.expect.json.<name>.exists`]: {
    meaning: '`true`: the path is there, with any value. `false`: it is not there.',
    example: false,
  },
  [`${C}.expect.regex`]: {
    meaning: 'The body must match it (JavaScript syntax, Unicode mode).',
    example: 'notebooks',
  },
  [`${C}.expect.max-latency`]: {
    meaning: 'The slowest acceptable answer: from `1ms` to `10s` (a request gives up after `10s`).',
    example: '1s',
  },
  [`${C}.follow-redirects`]: { meaning: 'Without it, a redirect is judged as the answer.', example: true },
  [`${C}.via`]: {
    meaning:
      "Where the TCP connection starts: `runner`, `target` (the environment's first target) or a target's name. Through an ssh target, the server opens the connection (SSH direct-tcpip), so addresses that only the server can reach can be checked.",
    example: 'web1',
  },
  'smoke.sample.requests': {
    meaning:
      'The number of requests, from 1 to 100,000. Together with `rate` the sample must finish within `1h`: `requests / rate` at most 3600 seconds.',
    example: 100,
  },
  'smoke.sample.rate': { meaning: 'How fast the requests are sent: from `1/m` to `1000/s`.', example: '20/s' },
  'smoke.sample.p95': {
    meaning:
      'The maximum 95th-percentile latency over all requests, from `1ms` to `10s`. Failed requests count at their latency, and a request that timed out counts at least at its `10s` timeout.',
    example: '500ms',
  },
  'smoke.sample.error-rate': {
    meaning:
      'The maximum share of failed requests: no answer, a timeout, or an answer that fails the check. Without it, any failed request fails the sample.',
    example: 0.01,
    defaultNote: '`0` (no failed request allowed)',
  },
  'smoke.sample.min-samples': {
    meaning: 'The minimum number of good answers. It cannot be more than `requests`.',
    example: 90,
  },
};

export const CHECKS_KEYS: KeyReferences = { ...CHECK_KEYS, ...SMOKE_KEYS };

export const CHECKS_SECTIONS: readonly SectionReference[] = [
  {
    path: 'checks',
    title: '`checks`',
    intro:
      'These are the checks that pre-deploy-check runs. `environments.<name>.checks` can override any of these keys for one environment.',
    examples: [
      `checks:
  min-free-disk: 5GiB
  disk-paths: [/, /var/lib/docker, /backups]
  docker: ">=24"
  compose: false
  required-secrets: [DB_PASSWORD, JWT_SECRET]
  backup-max-age: 6h
  incident-label: incident
  ci: { required: [build, test], wait: 15m }
  windows: [{ days: [mon, tue, wed, thu], from: "09:00", to: "16:00", tz: Europe/Berlin }]
  freeze: [{ from: 2026-12-20, to: 2027-01-04, tz: Europe/Berlin, reason: holidays }]
`,
    ],
  },
  {
    path: 'smoke',
    title: '`smoke`',
    intro:
      'These are the checks that the smoke-test action (and the pipeline, after a deploy) runs. Failing checks are retried until `wait` runs out. After that, an optional `sample` measures latency and errors under a little load.',
    examples: [
      `smoke:
  wait: 60s
  checks:
    - name: ready
      url: /api/v1/health/ready
      expect: { status: 200, json: { status: ready, "checks.*": ok, error: { exists: false } } }
    - name: notebooks
      method: GET
      url: /api/v1/notebooks
      headers: { Authorization: "Bearer \${env.TEST_TOKEN}" }
      expect: { status: "2xx", regex: "notebooks", max-latency: 1s }
    - name: green-direct
      url: http://127.0.0.1:18000/health
      via: web1
      follow-redirects: true
  sample: { requests: 100, rate: 20/s, p95: 500ms, error-rate: 0.01, min-samples: 90 }
`,
    ],
  },
  { path: 'smoke.checks', title: 'Smoke checks' },
  { path: 'smoke.sample', title: 'Load sample' },
];
