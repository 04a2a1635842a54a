/** Host and port as addresses are written (nginx server lines, log lines, connection errors). Pure. */

/** host and port → `10.0.0.5:8000` / `[fd00::5]:8000` (proxy/upstream-file.ts hostPortOf reads it back). */
export function authorityOf(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `127.0.0.1` and `localhost`: where a host's view of its own replicas points. */
export const isLoopback = (host: string): boolean => host === '127.0.0.1' || host === 'localhost';
