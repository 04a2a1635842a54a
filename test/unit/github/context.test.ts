import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { githubContext, runLinks, untrustedReason } from '../../../src/github/context.js';

/** A pull_request event file as GitHub writes it (the fields read here). */
function eventFile(head: string | null, base = 'acme/shop'): string {
  const dir = mkdtempSync(join(tmpdir(), 'event-'));
  const path = join(dir, 'event.json');
  writeFileSync(
    path,
    JSON.stringify({
      pull_request: {
        number: 7,
        head: { sha: 'f'.repeat(40), repo: head === null ? null : { full_name: head } },
        base: { repo: { full_name: base } },
      },
    }),
  );
  return path;
}

const env = (head: string | null, event = 'pull_request') => ({
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_SHA: 'a'.repeat(40),
  GITHUB_EVENT_NAME: event,
  GITHUB_EVENT_PATH: eventFile(head),
});

describe('the run context', () => {
  it("a pull request's commit is its head, not the merge commit GITHUB_SHA names", () => {
    const c = githubContext(env('acme/shop'));
    expect(c.sha).toBe('f'.repeat(40));
    expect(c.pullRequest).toEqual({ number: 7, headRepo: 'acme/shop', baseRepo: 'acme/shop', headSha: 'f'.repeat(40) });
    expect(untrustedReason(c)).toBeUndefined();
  });

  it('a pull request from a fork, or from a deleted fork, is an untrusted context', () => {
    expect(untrustedReason(githubContext(env('mallory/shop')))).toBe(
      'pull request #7 comes from the fork mallory/shop',
    );
    expect(untrustedReason(githubContext(env(null)))).toBe(
      'pull request #7 comes from a repository that no longer exists',
    );
    // The same payload under another event (a push, a dispatch) is not a pull request run.
    expect(untrustedReason(githubContext(env('mallory/shop', 'workflow_dispatch')))).toBeUndefined();
  });

  it('links: the run (with its attempt), the commit, the environment', () => {
    const c = githubContext({
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_SHA: 'b'.repeat(40),
      GITHUB_RUN_ID: '99',
      GITHUB_RUN_ATTEMPT: '2',
      GITHUB_SERVER_URL: 'https://ghe.example.com/',
    });
    expect(runLinks(c, 'prod eu')).toEqual({
      run: 'https://ghe.example.com/acme/shop/actions/runs/99/attempts/2',
      commit: `https://ghe.example.com/acme/shop/commit/${'b'.repeat(40)}`,
      environment: 'https://ghe.example.com/acme/shop/deployments/prod%20eu',
    });
    expect(runLinks(githubContext({}))).toEqual({});
  });
});
