/**
 * The sandbox dockerd through the docker and docker-compose CLIs, for assertions and teardown in tests: what a
 * person would type to look at the containers a deploy made.
 */
import { execFileSync } from 'node:child_process';
import { Agent, request } from 'undici';

/** `docker …` against the engine at `host` (unix:// or tcp://): trimmed stdout; throws on a non-zero exit. */
export function dockerAt(host: string): (...args: string[]) => string {
  return (...args) =>
    execFileSync('docker', args, {
      env: { ...process.env, DOCKER_HOST: host },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
}

/** Ids of the containers of `app` (label io.runbook.app); running ones only unless `all`. */
export function appContainers(host: string, app: string, all = false): string[] {
  return dockerAt(host)('ps', ...(all ? ['-aq'] : ['-q']), '--filter', `label=io.runbook.app=${app}`)
    .split('\n')
    .filter((id) => id !== '');
}

/**
 * Remove what a test's app left on the engine: its containers, and with `compose` ({ project, cwd }) the compose
 * project's own containers, networks and volumes (`docker-compose down -v`).
 */
export function removeApp(host: string, app: string, compose?: { project: string; cwd: string }): void {
  const ids = appContainers(host, app, true);
  if (ids.length > 0) dockerAt(host)('rm', '-f', ...ids);
  if (compose) {
    execFileSync('docker-compose', ['-p', compose.project, 'down', '-v'], {
      cwd: compose.cwd,
      env: { ...process.env, DOCKER_HOST: host },
      stdio: 'ignore',
    });
  }
}

/** The body of GET `url` (trimmed), on a connection of its own. */
export async function fetchText(url: string): Promise<string> {
  const agent = new Agent();
  try {
    return (await (await request(url, { dispatcher: agent })).body.text()).trim();
  } finally {
    await agent.close();
  }
}
