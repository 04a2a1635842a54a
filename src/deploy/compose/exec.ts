/** How the toolkit runs the compose CLI on a target, for every compose step (recreate, rolling's config and deps). */
import { posix } from 'node:path';
import type { ComposeConfig } from '../../config/schema.js';
import type { ServiceSite } from '../types.js';

/** Pulls and recreates through compose can take a while; a command past this is failed. */
const COMPOSE_TIMEOUT_MS = 10 * 60_000;

/**
 * Options of one compose command on `site.target`: in compose.directory, with the target's environment, the
 * release's env values (`env`, by default the site's: for the variables the compose file interpolates or passes
 * through) and the version variable set to `version`, quiet (its output is the caller's), bounded, cancelled with the
 * run.
 */
export function composeExecOptions(
  site: Pick<ServiceSite, 'target' | 'signal' | 'envOverrides'>,
  compose: ComposeConfig,
  version: string,
  env: Readonly<Record<string, string>> = site.envOverrides ?? {},
) {
  return {
    cwd: compose.directory,
    env: { ...site.target.env, ...env, [compose['version-env']]: version },
    quiet: true,
    timeoutMs: COMPOSE_TIMEOUT_MS,
    signal: site.signal,
  };
}

/** The project name compose starts from: compose.project, else the directory's name (compose v2 may print `name`). */
export function composeProjectHint(compose: Pick<ComposeConfig, 'project' | 'directory'>): string {
  return compose.project ?? posix.basename(compose.directory);
}
