/**
 * The workflow harness (test/integration/helpers/workflow-run.ts) on workflows of `run:` steps only: dispatch inputs
 * typed and checked, jobs in `needs` order, `if:` with the status functions, step and job outputs, GITHUB_ENV, a failed
 * job's dependants skipped unless they ask for failure(); and everything it cannot run fails the run loudly.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWorkflow } from '../../integration/helpers/workflow-run.js';

const dir = mkdtempSync(join(tmpdir(), 'workflow-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const workflow = (text: string): string => {
  const path = join(dir, `wf-${n++}.yml`);
  writeFileSync(path, text);
  return path;
};
const e = (x: string) => ['$', '{{ ', x, ' }}'].join('');

const DISPATCH = `on:
  workflow_dispatch:
    inputs:
      environment: { type: choice, options: [staging, production], required: true }
      fail: { type: boolean, default: false }
      note: { type: string, required: false }
`;

describe('the workflow harness', () => {
  const chain = workflow(`name: chain
${DISPATCH}permissions: {}
concurrency: { group: 'deploy-${e('inputs.environment')}', cancel-in-progress: false }
env:
  WHERE: ${e('inputs.environment')}
jobs:
  first:
    runs-on: ubuntu-latest
    environment:
      name: ${e('inputs.environment')}
      deployment: false
    outputs:
      word: ${e('steps.say.outputs.word')}
    steps:
      - id: say
        run: |
          echo "word=hello-$WHERE" >> "$GITHUB_OUTPUT"
          echo "LATER=from-env-file" >> "$GITHUB_ENV"
      - name: reads GITHUB_ENV
        run: test "$LATER" = from-env-file
      - name: maybe fail
        if: inputs.fail
        run: exit 3
      - name: only after a failure
        if: failure()
        run: echo "cleaning up"
  second:
    needs: first
    runs-on: ubuntu-latest
    steps:
      - env:
          WORD: ${e('needs.first.outputs.word')}
        run: echo "got $WORD"
  on-failure:
    needs: [first, second]
    if: failure() && needs.first.result == 'failure'
    runs-on: ubuntu-latest
    steps:
      - run: echo "first failed"
`);

  it('runs the jobs in needs order, passes outputs, GITHUB_ENV and the env of the workflow', async () => {
    const r = await runWorkflow({ workflow: chain, inputs: { environment: 'staging' }, workspace: dir });
    expect(r.conclusion, r.log).toBe('success');
    expect(r.order).toEqual(['first', 'second', 'on-failure']);
    expect(r.job('first')).toMatchObject({ result: 'success', outputs: { word: 'hello-staging' } });
    expect(r.job('first').environment).toEqual({ name: 'staging', deployment: false });
    expect(r.step('first', 'maybe fail').outcome).toBe('skipped');
    expect(r.step('first', 'only after a failure').outcome).toBe('skipped');
    expect(r.step('second', 'echo "got $WORD"').stdout).toBe('got hello-staging\n');
    expect(r.job('on-failure').result).toBe('skipped');
    expect(r.concurrency).toEqual({ group: 'deploy-staging', cancelInProgress: false });
    expect(r.inputs).toEqual({ environment: 'staging', fail: false, note: '' });
  });

  it('a failed step fails its job, runs the failure() steps, skips the dependants, runs the failure() job', async () => {
    const r = await runWorkflow({ workflow: chain, inputs: { environment: 'production', fail: true }, workspace: dir });
    expect(r.conclusion).toBe('failure');
    expect(r.job('first').result).toBe('failure');
    expect(r.step('first', 'maybe fail')).toMatchObject({ outcome: 'failure', code: 3 });
    expect(r.step('first', 'only after a failure').outcome).toBe('success');
    // Outputs are still set: a rollback job reads a failed deploy's release-id.
    expect(r.job('first').outputs.word).toBe('hello-production');
    expect(r.job('second').result).toBe('skipped');
    expect(r.job('on-failure').result).toBe('success');
  });

  it('checks the dispatch inputs as GitHub does', async () => {
    await expect(runWorkflow({ workflow: chain, inputs: {}, workspace: dir })).rejects.toThrow(
      /"environment" is required/,
    );
    await expect(runWorkflow({ workflow: chain, inputs: { environment: 'prod' }, workspace: dir })).rejects.toThrow(
      /"prod" is not one of staging, production/,
    );
    await expect(
      runWorkflow({ workflow: chain, inputs: { environment: 'staging', bogus: 'x' }, workspace: dir }),
    ).rejects.toThrow(/"bogus" is not declared/);
  });

  it.each([
    [
      'another action',
      '      - uses: actions/setup-node@v4',
      /actions\/setup-node@v4 is not an action the harness can run/,
    ],
    ['a checkout by tag', '      - uses: actions/checkout@v4', /not an action the harness can run/],
    [
      'an unknown input of our action',
      '      - uses: acme/runbook-actions/actions/deploy@v1\n        with: { environment: x, version: v1, bogus: 1 }',
      /has no input "bogus"/,
    ],
    [
      'a missing required input',
      '      - uses: acme/runbook-actions/actions/deploy@v1\n        with: { environment: x }',
      /needs its required input "version"/,
    ],
    ['an action that does not exist', '      - uses: acme/runbook-actions/actions/nope@v1', /no action at/],
    ['another shell', '      - run: echo\n        shell: pwsh', /shell pwsh is not supported/],
    ['an unknown step key', '      - run: echo\n        retries: 2', /"retries" is not supported/],
    [
      'an unsupported function',
      "      - run: echo\n        if: contains(inputs.note, 'x')",
      /contains\(\) is not supported/,
    ],
  ])('fails loudly on %s', async (_what, step, error) => {
    const wf = workflow(`${DISPATCH}jobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n${step}\n`);
    await expect(runWorkflow({ workflow: wf, inputs: { environment: 'staging' }, workspace: dir })).rejects.toThrow(
      error,
    );
  });

  it('fails loudly on a matrix, services, a reusable workflow and a non-dispatch workflow', async () => {
    for (const job of [
      'strategy: { matrix: { os: [a] } }',
      'services: { db: { image: postgres } }',
      'uses: ./.github/workflows/x.yml',
    ]) {
      const wf = workflow(
        `${DISPATCH}jobs:\n  j:\n    runs-on: ubuntu-latest\n    ${job}\n    steps: [{ run: echo }]\n`,
      );
      await expect(runWorkflow({ workflow: wf, inputs: { environment: 'staging' }, workspace: dir })).rejects.toThrow(
        /is not supported by the workflow harness/,
      );
    }
    const push = workflow('on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps: [{ run: echo }]\n');
    await expect(runWorkflow({ workflow: push, workspace: dir })).rejects.toThrow(/workflow_dispatch workflows only/);
  });
});
