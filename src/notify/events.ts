/**
 * What a notification says: one event of a run (a deploy starts, succeeds, is refused, is rolled back, fails), as the
 * actions hand it to `notify` (send.ts). Values are plain text as the run knows them; message.ts escapes them for
 * each format, send.ts masks registered secrets in them first.
 */
import type { NotifyKind } from '../config/schema-notify.js';

export type { NotifyKind } from '../config/schema-notify.js';
export { NOTIFY_KINDS } from '../config/schema-notify.js';

/** Where to look: absolute http(s) URLs (anything else is left out of the messages). */
export interface EventLinks {
  /** The workflow run (`…/actions/runs/<id>`, with `/attempts/<n>` after a re-run). */
  run?: string;
  /** The GitHub deployment, or its environment's deployments page. */
  deployment?: string;
  /** The commit deployed. */
  commit?: string;
  /** The environment's public URL (`environments.<name>.url`). */
  environment?: string;
}

export interface DeployEvent {
  kind: NotifyKind;
  /** The config's `app`. */
  app: string;
  /** The environment's name. */
  environment: string;
  /**
   * The version this run is about: the one deployed (start, success, refusal, failure), or the one rolled back from
   * (rollback; `restoredVersion` is the one serving afterwards).
   */
  version: string;
  /** Who started the run: the GitHub actor, or `user@machine` from a terminal. */
  actor?: string;
  /** The journal's release id of this deploy, or of the release a rollback restored. */
  releaseId?: string;
  /** The version that served before this deploy (success, failure). */
  previousVersion?: string;
  /** The version serving after a rollback. */
  restoredVersion?: string;
  /** Why: the refusal's failed checks, the failure's error, what triggered the rollback. One or more lines. */
  reason?: string;
  links: EventLinks;
}

/** What the runner's variables tell about a run: its actor and the links to the run and the commit. */
export interface RunnerFacts {
  actor?: string;
  links: Pick<EventLinks, 'run' | 'commit'>;
}

/**
 * The actor and the run and commit links of a GitHub Actions run, from its GITHUB_* variables (GITHUB_SERVER_URL,
 * GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT, GITHUB_SHA, GITHUB_ACTOR). Outside Actions: no links, no
 * actor (the CLI passes its own).
 */
export function runnerFacts(vars: Readonly<Record<string, string | undefined>>): RunnerFacts {
  const server = (vars.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const repo = vars.GITHUB_REPOSITORY;
  const links: RunnerFacts['links'] = {};
  if (repo && vars.GITHUB_RUN_ID) {
    const attempt = Number(vars.GITHUB_RUN_ATTEMPT);
    links.run = `${server}/${repo}/actions/runs/${vars.GITHUB_RUN_ID}${attempt > 1 ? `/attempts/${attempt}` : ''}`;
  }
  if (repo && vars.GITHUB_SHA) links.commit = `${server}/${repo}/commit/${vars.GITHUB_SHA}`;
  return { ...(vars.GITHUB_ACTOR ? { actor: vars.GITHUB_ACTOR } : {}), links };
}
