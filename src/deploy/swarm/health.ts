/**
 * The container health check a Swarm service's tasks run (Swarm counts a task as running, and a start-first update
 * stops the old task of its slot, only once it is healthy). From `services.<name>.health.http`: a shell script in the
 * container that asks the task's own port with wget (busybox and most images) or else curl, and fails unless the
 * answer is a success and its body has the top-level values of `expect.json`. The toolkit's own gate (the full
 * expectation: exact status, nested JSON paths, TLS verification) still judges every task before nginx sends it
 * traffic. `container: true` keeps the image's HEALTHCHECK; without health config none is set.
 */
import type { HealthConfig, Service } from '../../config/schema.js';
import { quoteArg, toRemoteCommand } from '../../core/quote.js';
import type { SwarmServiceSpec } from '../../docker/swarm-types.js';

type Healthcheck = NonNullable<SwarmServiceSpec['TaskTemplate']['ContainerSpec']['Healthcheck']>;

const NS_PER_MS = 1_000_000;
/** Failures in a row (after the start period) that make a task unhealthy. */
const RETRIES = 3;

/** An ERE matching `text` literally. */
function ere(text: string): string {
  return text.replace(/[.[\]()*+?{}|^$\\]/g, '\\$&');
}

/** `"status" *: *"ok"` for a top-level key; undefined for a path Swarm's shell check cannot judge (`a.b`, `*`). */
function jsonPattern(path: string, value: string | number | boolean): string | undefined {
  if (path.includes('.') || path.includes('*')) return undefined;
  const v = typeof value === 'string' ? `"${ere(JSON.stringify(value).slice(1, -1))}"` : ere(String(value));
  return `"${ere(path)}"[[:space:]]*:[[:space:]]*${v}`;
}

/** The shell script of the check (CMD-SHELL), reading the task's port from `portEnv`. */
export function healthScript(http: NonNullable<HealthConfig['http']>, portEnv: string): string {
  const headers = Object.entries(http.headers ?? {});
  const https = http.scheme === 'https';
  const wget = [
    'wget',
    '-q',
    '-O',
    '-',
    ...headers.map(([k, v]) => `--header=${k}: ${v}`),
    ...(https ? ['--no-check-certificate'] : []),
  ];
  const curl = ['curl', '-fsS', ...headers.flatMap(([k, v]) => ['-H', `${k}: ${v}`]), ...(https ? ['-k'] : [])];
  const lines = [
    `url=${quoteArg(`${http.scheme}://127.0.0.1:`)}"\${${portEnv}}"${quoteArg(http.path)}`,
    `if command -v wget >/dev/null 2>&1; then body=$(${toRemoteCommand(wget)} "$url") || exit 1`,
    `elif command -v curl >/dev/null 2>&1; then body=$(${toRemoteCommand(curl)} "$url") || exit 1`,
    `else echo 'the image has neither wget nor curl for the health check' >&2; exit 1; fi`,
  ];
  for (const [path, value] of Object.entries(http.expect?.json ?? {})) {
    const pattern = jsonPattern(path, value);
    if (pattern === undefined) continue;
    const expected = `${path}: ${JSON.stringify(value)}`;
    lines.push(
      `printf '%s' "$body" | grep -Eq ${quoteArg(pattern)} || { echo ${quoteArg(`expected ${expected}, got:`)} "$body"; exit 1; }`,
    );
  }
  return lines.join('\n');
}

/**
 * The Healthcheck of the container spec: from health.http (interval and timeout as configured, the deadline as the
 * start period, during which failures do not count, then 3 failures in a row), or undefined (the image's own).
 */
export function containerHealthcheck(s: Service): Healthcheck | undefined {
  const h = s.health;
  if (!h?.http) return undefined;
  return {
    Test: ['CMD-SHELL', healthScript(h.http, s['port-env'])],
    Interval: h.interval * NS_PER_MS,
    Timeout: h.timeout * NS_PER_MS,
    Retries: RETRIES,
    StartPeriod: h.deadline * NS_PER_MS,
  };
}
