/**
 * Pure argv builders and output parsers for host facts (disk, compose). Nothing here runs anything. The docker
 * engine's version is asked with dockerServerVersionArgv (src/commands/docker-cli.ts).
 */

/** Free space of each path, POSIX output format, sizes in KiB. */
export function dfArgv(paths: readonly string[]): string[] {
  return ['df', '-P', '-k', '--', ...paths];
}

export interface DiskUsage {
  path: string;
  mount: string;
  totalBytes: number;
  availableBytes: number;
  freePercent: number;
}

/**
 * Parse `df -P -k` output; rows come in the order of `paths`. A filesystem name with spaces is tolerated because the
 * numeric columns are read from the end of the line.
 */
export function parseDf(stdout: string, paths: readonly string[]): DiskUsage[] {
  const rows = stdout
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return rows.map((row, i) => {
    const fields = row.split(/\s+/);
    const mount = fields.at(-1) ?? '';
    const [total, , available] = fields.slice(-5, -2).map((f) => Number(f));
    if (total === undefined || available === undefined || !Number.isFinite(total) || !Number.isFinite(available)) {
      throw new Error(`cannot read df output line: ${row}`);
    }
    return {
      path: paths[i] ?? mount,
      mount,
      totalBytes: total * 1024,
      availableBytes: available * 1024,
      freePercent: total === 0 ? 0 : (available / total) * 100,
    };
  });
}

/** `docker compose version --short` (v2 plugin) or `docker-compose version --short` (v1), per the config. */
export function composeVersionArgv(command: readonly string[]): string[] {
  return [...command, 'version', '--short'];
}

/** The compose commands tried, in order, when the config does not choose one. */
export const COMPOSE_CANDIDATES: readonly (readonly string[])[] = [['docker', 'compose'], ['docker-compose']];
