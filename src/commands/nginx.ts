/** nginx upstream file content and the argv around a switch. Pure. */

export interface UpstreamServer {
  host: string;
  port: number;
}

/**
 * The servers of one upstream, as `include`d inside `upstream NAME { … }`. An empty list keeps nginx's config valid
 * with a server marked down (every request then fails fast at nginx instead of the config failing to load).
 */
export function renderUpstream(name: string, servers: readonly UpstreamServer[]): string {
  const lines = servers.map((s) => `server ${s.host}:${s.port} max_fails=1 fail_timeout=2s;`);
  if (lines.length === 0) lines.push('server 127.0.0.1:9 down;');
  return `# upstream ${name}: written by runbook-actions; do not edit by hand\n${lines.join('\n')}\n`;
}

/** The worker processes of an nginx master: a switch is done when workers started after the reload serve. */
export const workersArgv = (masterPid: number): string[] => ['ps', '-o', 'pid=', '--ppid', String(masterPid)];

export function parsePids(stdout: string): number[] {
  return stdout
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}
