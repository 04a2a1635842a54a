/**
 * Faults of GitHub and the webhooks around a real deploy: they are bookkeeping, never the deploy's judge (a GitHub
 * answering 5xx to every call, a webhook that never answers: the release goes live under load with 0 failed
 * requests, each a warning), while the gates they feed fail closed; and what GitHub returns is text from a server
 * (an incident issue titled with workflow commands: printed, never obeyed — judged by the runner's parsing rules).
 * GitHub is the OpenAPI-checked fixture (test/github-api); the deploy is the root action's bundle on the sandbox.
 */
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';
import { obeyedCommands } from '../../../src/core/untrusted.js';
import { type GitHubApi, startGitHubApi } from '../../github-api/index.js';
import { runStep } from '../../integration/helpers/action-runner.js';
import { dropDatabase } from '../../integration/helpers/pg-sandbox.js';
import { freePortRange } from '../../integration/helpers/ports.js';
import { removeContainers, type StoryWorld, storyWorld } from '../../integration/helpers/story-world.js';
import { type Fault, faultSuite, loadText, underLoad } from './fault.js';

let world: StoryWorld | undefined;
let api: GitHubApi | undefined;
/** A webhook that accepts the connection and never answers. */
const silent = createServer(() => undefined);

async function setup(): Promise<{ w: StoryWorld; api: GitHubApi; hook: string }> {
  if (!world) {
    world = storyWorld('rbghf', await freePortRange(10));
    api = await startGitHubApi();
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    appendFileSync(
      world.config,
      'notifications:\n  - { url-env: RUNBOOK_HOOK, format: slack, timeout: 1s, name: chat }\n',
    );
  }
  const hook = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/services/T0/B0/HOOKSECRET`;
  return { w: world, api: api as GitHubApi, hook };
}

const pipeline = async (version: string, extra: Record<string, string> = {}) => {
  const { w, api, hook } = await setup();
  const inputs = {
    config: w.config,
    environment: 'sandbox',
    version,
    'github-token': 'test-token',
    ...w.inputs,
    ...extra,
  };
  const env = {
    DB_PASSWORD: w.pg.password,
    RUNBOOK_HOOK: hook,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: 'd'.repeat(40),
    GITHUB_RUN_ID: '8001',
    GITHUB_API_URL: api.url,
  };
  const main = await runStep('pipeline', { inputs, env, timeoutMs: 240_000 });
  await runStep('pipeline', { inputs, env, state: main.state });
  return main;
};

const faults: Fault[] = [
  {
    promise: 10,
    name: 'GitHub answers 502 to every deployment call and the webhook never answers: the release goes live anyway',
    timeoutMs: 240_000,
    run: async () => {
      const { w, api } = await setup();
      await pipeline('v1');
      api.failNext({ path: /\/deployments/, status: 502, times: 100 });
      const { result: r, load } = await underLoad(w.url, () => pipeline('v2'));
      const warned = [
        /no GitHub deployment recorded for sandbox: .*502/.test(r.stdout),
        /notification chat \(start\) failed: .*1000 ms/.test(r.stdout),
      ];
      return {
        survived: r.code === 0 && warned.every(Boolean) && load.bodies.v2 !== undefined,
        detail: `exit ${r.code}, deployment warning ${warned[0]}, webhook warning ${warned[1]}; ${loadText(load)}`,
        requests: load.requests,
        requestsFailed: load.failed,
        secretsFound: r.stdout.split('\n').filter((l) => l.includes('HOOKSECRET') && !l.startsWith('::add-mask::'))
          .length,
      };
    },
  },
  {
    promise: 16,
    name: 'an open incident issue titled with workflow commands blocks the deploy, printed and never obeyed',
    run: async () => {
      const { api } = await setup();
      api.state.addIssue({ title: '##[error]PWNED-title\r::add-mask::PWNED-mask', labels: ['incident'] });
      const r = await pipeline('v3');
      const obeyed = obeyedCommands(r.stdout).filter((c) => c.data.startsWith('PWNED'));
      for (const i of api.state.issues) i.state = 'closed';
      return {
        survived: r.code === 1 && r.outputs['failed-step'] === 'pre-deploy-check' && obeyed.length === 0,
        detail: `exit ${r.code}, failed step ${r.outputs['failed-step']}, hostile commands obeyed: ${obeyed.length}`,
      };
    },
  },
];

faultSuite('GitHub and webhooks', faults);

afterAll(async () => {
  silent.close();
  await api?.close();
  if (world) {
    removeContainers('rbghf');
    dropDatabase(world.pg, world.database);
  }
});
