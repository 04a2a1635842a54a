/** A deploy environment on the sandbox: a runbook.yml for the test app behind the sandbox nginx, on the runner. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import type { Journal } from '../../../src/deploy/journal.js';
import { runStep, type StepResult } from './action-runner.js';
import { sandboxPart } from './sandbox.js';
import { freshSandboxUpstream, nginxProxyYaml } from './yaml.js';

export interface DeployEnvOptions {
  app: string;
  ports: [number, number];
  replicas?: number;
  stable?: string;
  deadline?: string;
  image?: string;
  strategy?: 'rolling' | 'recreate';
  /** `http` (default): GET /health expecting {"status":"ok"}; `container`: the image's HEALTHCHECK. */
  health?: 'http' | 'container';
  /** The sandbox nginx in front (default true). */
  proxy?: boolean;
}

export type { Journal };

export function deployEnv(o: DeployEnvOptions) {
  const docker = sandboxPart('docker');
  const nginx = sandboxPart('nginx');
  const dir = mkdtempSync(join(tmpdir(), `deploy-${o.app}-`));
  const stateDir = join(dir, 'state');
  let n = 0;
  /** Write a config for this environment (same app, state and ports) with some options changed. */
  const variant = (change: Partial<DeployEnvOptions> = {}): string => {
    const v = { ...o, ...change };
    const path = join(dir, `runbook-${n++}.yml`);
    writeFileSync(
      path,
      `app: ${v.app}
environments:
  sandbox:
    targets: [{ name: local, local: true, docker-socket: ${docker.socket} }]
    state-dir: ${stateDir}
services:
  api:
    image: ${v.image ?? 'runbook-test-app'}
    replicas: ${v.replicas ?? 2}
    network: host
    host-ports: ${v.ports[0]}-${v.ports[1]}
    stop-grace: 3s
    health:
      ${v.health === 'container' ? 'container: true' : 'http: { path: /health, expect: { status: 200, json: { status: ok } } }'}
      interval: 300ms
      timeout: 2s
      deadline: ${v.deadline ?? '15s'}
      stable: ${v.stable ?? '1s'}
strategy:
  type: ${v.strategy ?? 'rolling'}
  max-surge: 1
  drain: 300ms
  keep-releases: 2
  prune-images: false
${v.proxy === false ? '' : nginxProxyYaml(nginx)}`,
    );
    return path;
  };
  const config = variant();
  // The environment's site starts fresh at its first deploy (not when the test file is collected: another
  // environment of the same file may deploy in between).
  let started = false;
  const start = () => {
    if (!started && o.proxy !== false) freshSandboxUpstream(nginx);
    started = true;
  };
  const journalPath = join(stateDir, 'sandbox', 'journal.json');
  return {
    config,
    variant,
    stateDir,
    url: `http://127.0.0.1:${nginx.port}`,
    deploy: (
      version: string,
      extra: Record<string, string> = {},
      env: Record<string, string> = {},
    ): Promise<StepResult> => {
      start();
      return runStep('deploy', {
        inputs: { config, environment: 'sandbox', version, ...extra },
        env,
        timeoutMs: 120_000,
      });
    },
    journal: (): Journal => JSON.parse(readFileSync(journalPath, 'utf8')) as Journal,
    /** What nginx serves right now at /version. */
    served: (): Promise<string> => fetchFresh(`http://127.0.0.1:${nginx.port}/version`),
  };
}

/** GET on a fresh connection, the trimmed body: a pooled keep-alive one may still belong to an nginx worker retired by
 * the last reload. */
export async function fetchFresh(url: string): Promise<string> {
  const agent = new Agent({ pipelining: 0 });
  try {
    const res = await request(url, { dispatcher: agent });
    return (await res.body.text()).trim();
  } finally {
    await agent.close();
  }
}
