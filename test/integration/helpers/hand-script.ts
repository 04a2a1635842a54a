/**
 * The runbooks' hand commands, as the benchmarks' baseline: `docker-compose up -d --no-deps app` of the sandbox
 * compose fixture with one container on a fixed port behind nginx (the upstream file pointed at it, reloaded).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, sandboxPart } from './sandbox.js';

/** Run a command (argv, no shell); resolves with its exit code. Its stderr goes to ours. */
export function run(argv: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const [cmd, ...args] = argv;
    const child = spawn(cmd as string, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

export interface HandScript {
  /** `docker-compose up -d --no-deps app` with APP_VERSION = version. */
  up(version: string): Promise<number>;
  down(): Promise<number>;
}

/** The compose fixture as project `project` on `port`, with nginx's upstream pointed at that port. */
export async function handScript(project: string, port: number): Promise<HandScript> {
  const docker = sandboxPart('docker');
  const nginx = sandboxPart('nginx');
  const compose = ['docker-compose', '-p', project, '-f', join(REPO_ROOT, 'test/fixtures/compose/docker-compose.yml')];
  const env = (version: string) => ({ DOCKER_HOST: docker.host, APP_VERSION: version, APP_PORT: String(port) });
  writeFileSync(nginx.upstreamFile, `server 127.0.0.1:${port};\n`);
  await run(nginx.reload);
  let last = 'v1';
  return {
    up: (version) => {
      last = version;
      return run([...compose, 'up', '-d', '--no-deps', 'app'], env(version));
    },
    down: () => run([...compose, 'down'], env(last)),
  };
}
