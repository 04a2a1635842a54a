import { hostname, userInfo } from 'node:os';

/** Who is changing an environment: recorded in the lock's lease and the journal. */
export interface RunIdentity {
  /** The lease holder: the workflow run's URL in Actions, `cli:user@machine` from a terminal. */
  holder: string;
  /** The GitHub actor, or `user@machine`. */
  actor: string;
  runUrl?: string;
}

/** The identity of this run, from the runner's GITHUB_* variables or the local user. */
export function runIdentity(vars: Readonly<Record<string, string | undefined>>): RunIdentity {
  if (vars.GITHUB_RUN_ID && vars.GITHUB_REPOSITORY) {
    const server = vars.GITHUB_SERVER_URL ?? 'https://github.com';
    const runUrl = `${server}/${vars.GITHUB_REPOSITORY}/actions/runs/${vars.GITHUB_RUN_ID}`;
    return { holder: runUrl, actor: vars.GITHUB_ACTOR ?? 'unknown', runUrl };
  }
  const who = `${userInfo().username}@${hostname()}`;
  return { holder: `cli:${who}`, actor: who };
}
