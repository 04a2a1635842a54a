/** nginx upstream file content and the argv around a switch. Pure. */

/** The worker processes of an nginx master: a switch is done when workers started after the reload serve. */
export const workersArgv = (masterPid: number): string[] => ['ps', '-o', 'pid=', '--ppid', String(masterPid)];

export function parsePids(stdout: string): number[] {
  return stdout
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** The nginx binary a test argv runs (`[sudo, -n, /usr/sbin/nginx, -t]` → `/usr/sbin/nginx`); undefined when none. */
export function nginxProgram(test: readonly string[]): string | undefined {
  return test.find((a) => /(^|\/)nginx$/.test(a));
}

/** A private temp directory on the target (its path on stdout). */
export const mkdtempArgv = (): string[] => ['mktemp', '-d', '-t', 'runbook-nginx.XXXXXXXX'];

/**
 * `nginx -t` of the candidate config under a throwaway prefix, errors to stderr (nginx ≥ 1.19.5 `-e`), so it runs as
 * the deploy user without touching the live config, logs or pid file.
 */
export const nginxCandidateTestArgv = (nginx: string, dir: string): string[] => [
  nginx,
  '-t',
  '-q',
  '-p',
  `${dir}/`,
  '-c',
  `${dir}/nginx.conf`,
  '-e',
  'stderr',
];

/** The nginx access log format canary analysis reads (src/canary/access-log.ts parses it). */
export const ACCESS_LOG_FORMAT_NAME = 'runbook_canary';
/** First token of every line in the format; the digit is the format's version (a later one is a new prefix). */
export const ACCESS_LOG_PREFIX = 'runbook1';
/** The directive to add to nginx's `http` block (log_format is only allowed there). */
export const ACCESS_LOG_FORMAT = `log_format ${ACCESS_LOG_FORMAT_NAME} '${ACCESS_LOG_PREFIX} $msec $status $request_time "$upstream_addr" "$upstream_status" "$upstream_response_time"';`;

/** The directive to add to the `server` that proxies to the upstream, writing `path` in the format. */
export const accessLogDirective = (path: string): string => `access_log ${path} ${ACCESS_LOG_FORMAT_NAME};`;
