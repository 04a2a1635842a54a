/** Pure argv builders for the compose CLI (`docker compose` v2 or `docker-compose` v1, per compose.command). */
import type { ComposeConfig } from '../config/schema.js';

/** The command and its global options: project, files, env file. Run with cwd = compose.directory. */
export function composeBase(c: ComposeConfig): string[] {
  const argv = [...c.command];
  if (c.project) argv.push('-p', c.project);
  for (const f of c.files ?? []) argv.push('-f', f);
  if (c['env-file']) argv.push('--env-file', c['env-file']);
  return argv;
}

export const composePull = (c: ComposeConfig, services: string[]): string[] => [...composeBase(c), 'pull', ...services];

export interface UpOptions {
  /** Start the named services' depends_on too (no `--no-deps`). */
  withDependencies?: boolean;
  forceRecreate?: boolean;
  noRecreate?: boolean;
  scale?: Record<string, number>;
}

/**
 * `up -d --no-deps`: start only the named services, never their dependencies (the runbooks' hotfix command);
 * `withDependencies` starts their depends_on too.
 */
export function composeUp(c: ComposeConfig, services: string[], o: UpOptions = {}): string[] {
  const argv = [...composeBase(c), 'up', '-d', ...(o.withDependencies ? [] : ['--no-deps'])];
  if (o.forceRecreate) argv.push('--force-recreate');
  if (o.noRecreate) argv.push('--no-recreate');
  for (const [svc, n] of Object.entries(o.scale ?? {})) argv.push('--scale', `${svc}=${n}`);
  return [...argv, ...services];
}

/** Container ids of a service, one per line. */
export const composePs = (c: ComposeConfig, service: string): string[] => [...composeBase(c), 'ps', '-q', service];

/**
 * A one-off container (migrations): removed afterwards, no TTY, no dependencies started. `envNames` are passed as
 * `-e NAME` with no value, so compose takes each value from its own environment and none appears in argv.
 */
export const composeRun = (c: ComposeConfig, service: string, argv: string[], envNames: string[] = []): string[] => [
  ...composeBase(c),
  'run',
  '--rm',
  '--no-deps',
  '-T',
  ...envNames.flatMap((n) => ['-e', n]),
  service,
  ...argv,
];

/** `config -q`: resolve the files (interpolation, env file, extends) and validate them; prints nothing when they do. */
export const composeConfigCheck = (c: ComposeConfig): string[] => [...composeBase(c), 'config', '-q'];

/** `config`: the files resolved (interpolation, env_file merged into environment, absolute paths) as YAML. */
export const composeConfig = (c: ComposeConfig): string[] => [...composeBase(c), 'config'];
