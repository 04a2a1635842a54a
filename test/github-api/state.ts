/**
 * The fixture's small GitHub: deployments and their statuses, issues, pull requests and comments, check runs and
 * commit statuses per commit, branch → sha. Tests seed it before the code under test runs and read it afterwards;
 * records are plain objects in the fixture's own terms (names, logins, `owner/repo`), rendered in GitHub's shapes by
 * ./render.ts. A record without `repo` belongs to every repository (handy for one-repository tests).
 */
import { sha1 } from './shapes.js';

export interface DeploymentStatusRecord {
  id: number;
  state: 'error' | 'failure' | 'inactive' | 'pending' | 'success' | 'queued' | 'in_progress';
  description: string;
  environment: string;
  target_url: string;
  log_url: string;
  environment_url: string;
  creator: string;
  created_at: string;
}

export interface DeploymentRecord {
  id: number;
  repo: string;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  original_environment: string;
  description: string | null;
  payload: Record<string, unknown> | string;
  transient_environment: boolean;
  production_environment: boolean;
  creator: string;
  created_at: string;
  updated_at: string;
  /** Oldest first. */
  statuses: DeploymentStatusRecord[];
}

export interface IssueRecord {
  id: number;
  number: number;
  repo?: string;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason?: 'completed' | 'not_planned' | 'reopened' | 'duplicate' | null;
  labels: string[];
  user: string;
  /** A pull request also is an issue (issues/list-for-repo returns both). */
  pull_request?: boolean;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface CommentRecord {
  id: number;
  repo?: string;
  issue_number: number;
  body: string;
  user: string;
  created_at: string;
  updated_at: string;
}

export interface PullSide {
  ref: string;
  sha?: string;
  /** `owner/name` of the repository; `null`: the head repository was deleted. */
  repo: string | null;
  /** The repository is a fork (a fork pull request's head). */
  fork?: boolean;
}

export interface PullRecord {
  number: number;
  repo?: string;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  merged: boolean;
  user: string;
  labels: string[];
  head: PullSide;
  base: PullSide;
  created_at: string;
}

/** What a test pushes into `checkRuns(ref)`; missing fields get GitHub's usual values. */
export interface CheckRunSeed {
  name: string;
  status?: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
  conclusion?:
    | 'success'
    | 'failure'
    | 'neutral'
    | 'cancelled'
    | 'skipped'
    | 'timed_out'
    | 'action_required'
    | 'stale'
    | null;
  html_url?: string;
  details_url?: string;
  started_at?: string;
  completed_at?: string | null;
  id?: number;
}

/** What a test pushes into `statuses(ref)` (newest last); missing fields get plausible values. */
export interface StatusSeed {
  context: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  description?: string | null;
  target_url?: string | null;
  created_at?: string;
  id?: number;
}

/** The clock of the fixture's timestamps: real time until `set`, then frozen there (moved by `advance`). */
export class FixtureClock {
  private frozen: number | undefined;
  now(): Date {
    return new Date(this.frozen ?? Date.now());
  }
  /** ISO 8601 without milliseconds, as GitHub writes times. */
  iso(): string {
    return this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }
  set(at: Date | string): void {
    this.frozen = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.frozen = (this.frozen ?? Date.now()) + ms;
  }
}

export class GitHubState {
  readonly clock = new FixtureClock();
  readonly deployments: DeploymentRecord[] = [];
  readonly issues: IssueRecord[] = [];
  readonly comments: CommentRecord[] = [];
  readonly pulls: PullRecord[] = [];
  /** Branch or tag name → commit sha (refs not set resolve to a stable sha1 of their name). */
  readonly refs = new Map<string, string>();
  private readonly runs = new Map<string, CheckRunSeed[]>();
  private readonly commitStatuses = new Map<string, StatusSeed[]>();
  private ids = 1000;
  private numbers = 0;

  /** A fresh id (every kind of record shares the counter, so ids are unique across kinds). */
  nextId(): number {
    this.ids += 1;
    return this.ids;
  }

  /** The commit sha `ref` names: a sha as is; `heads/x`, `refs/heads/x`, `tags/x` or `x` through `refs`. */
  sha(ref: string): string {
    if (/^[0-9a-f]{40}$/i.test(ref)) return ref.toLowerCase();
    const name = ref.replace(/^refs\//, '').replace(/^(heads|tags)\//, '');
    return this.refs.get(name) ?? sha1(`ref:${name}`);
  }

  /** The check runs of the commit `ref` names (a sha or a branch: both give the same list), to push seeds into. */
  checkRuns(ref: string): CheckRunSeed[] {
    const key = this.sha(ref);
    const list = this.runs.get(key) ?? [];
    this.runs.set(key, list);
    return list;
  }

  /** The commit statuses of the commit `ref` names, oldest first, to push seeds into. */
  statuses(ref: string): StatusSeed[] {
    const key = this.sha(ref);
    const list = this.commitStatuses.get(key) ?? [];
    this.commitStatuses.set(key, list);
    return list;
  }

  /** Add an issue (number and id given out like GitHub's: issues and pull requests share numbers per repo). */
  addIssue(seed: Partial<IssueRecord> & { title: string }): IssueRecord {
    const at = this.clock.iso();
    const issue: IssueRecord = {
      id: this.nextId(),
      number: this.nextNumber(),
      body: null,
      state: 'open',
      labels: [],
      user: 'octocat',
      created_at: at,
      updated_at: at,
      closed_at: seed.state === 'closed' ? at : null,
      ...seed,
    };
    this.issues.push(issue);
    return issue;
  }

  /**
   * Add a pull request (and its issue, as GitHub has one per pull request). `head.repo` other than the base's, with
   * `fork: true`, models a fork pull request.
   */
  addPull(seed: Partial<PullRecord> & { head: PullSide; base?: PullSide }): PullRecord {
    const issue = this.addIssue({
      title: seed.title ?? 'A pull request',
      body: seed.body ?? null,
      state: seed.state ?? 'open',
      labels: seed.labels ?? [],
      user: seed.user ?? 'octocat',
      pull_request: true,
      ...(seed.repo ? { repo: seed.repo } : {}),
      ...(seed.number ? { number: seed.number } : {}),
    });
    const pull: PullRecord = {
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      draft: false,
      merged: false,
      user: issue.user,
      labels: issue.labels,
      created_at: issue.created_at,
      ...seed,
      base: seed.base ?? { ref: 'main', repo: seed.repo ?? seed.head.repo },
    };
    this.pulls.push(pull);
    return pull;
  }

  /** Add a comment on issue (or pull request) `issue_number`. */
  addComment(seed: Partial<CommentRecord> & { issue_number: number; body: string }): CommentRecord {
    const at = this.clock.iso();
    const comment: CommentRecord = {
      id: this.nextId(),
      user: 'github-actions[bot]',
      created_at: at,
      updated_at: at,
      ...seed,
    };
    this.comments.push(comment);
    return comment;
  }

  private nextNumber(): number {
    const used = Math.max(0, ...this.issues.map((i) => i.number));
    this.numbers = Math.max(this.numbers, used) + 1;
    return this.numbers;
  }
}

/** Whether a record (with or without `repo`) belongs to `owner/repo` (case-insensitive, as GitHub's names are). */
export function inRepo(record: { repo?: string }, repo: string): boolean {
  return record.repo === undefined || record.repo.toLowerCase() === repo.toLowerCase();
}
