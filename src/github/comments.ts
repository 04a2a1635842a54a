/**
 * Comments and issues the toolkit keeps up to date rather than piling up: each carries a hidden marker (an HTML
 * comment, which GitHub does not render), found again by it on the next run and updated in place, never duplicated.
 * REST: "Issue comments" (list, create, update) and "Issues" (list for a repository, create) at
 * docs.github.com/rest/issues. A body GitHub would refuse (over 65,536 characters) is cut with a note.
 */
import type { GitHub } from './seam.js';

/** GitHub's limit on an issue or comment body, in characters (the REST API answers 422 above it). */
export const MAX_BODY = 65_536;

/** The hidden marker `<!-- runbook-actions:<kind> <key> -->` (key: letters, digits, `_.:=-`). */
export function marker(kind: string, key: string): string {
  return `<!-- runbook-actions:${kind} ${key.replace(/[^A-Za-z0-9_.:=-]/g, '_')} -->`;
}

/** The body with its marker first, cut to fit GitHub's limit (the cut says so). */
export function markedBody(mark: string, body: string): string {
  const full = `${mark}\n${body}`;
  if (full.length <= MAX_BODY) return full;
  const note = "\n\n… (cut to fit GitHub's 65,536-character limit: the whole text is in the job summary of the run)\n";
  return full.slice(0, MAX_BODY - note.length) + note;
}

/** The workflow token's bot: GitHub refuses GET /user to an installation token, which comments as this user. */
export const ACTIONS_BOT = 'github-actions[bot]';

/** The login this token comments as: its user (a personal token), else the Actions bot (the workflow's token). */
async function author(github: GitHub): Promise<string> {
  try {
    return (await github.octokit.rest.users.getAuthenticated()).data.login;
  } catch {
    return ACTIONS_BOT;
  }
}

/**
 * Create the comment on issue or pull request `number`, or update the one carrying `mark` that this token wrote (the
 * newest, if a race left two; a comment of someone else's with the marker is left alone). Returns its id and whether it was created.
 */
export async function upsertComment(
  github: GitHub,
  number: number,
  mark: string,
  body: string,
): Promise<{ id: number; url: string; created: boolean }> {
  const { octokit, owner, repo } = github;
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: number,
    per_page: 100,
  });
  // Only a comment this token wrote: anyone may paste the marker into a comment of theirs.
  const me = await author(github);
  const mine = comments.filter((c) => c.body?.startsWith(mark) && c.user?.login === me).at(-1);
  const text = markedBody(mark, body);
  if (mine) {
    const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body: text });
    return { id: data.id, url: data.html_url, created: false };
  }
  const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: text });
  return { id: data.id, url: data.html_url, created: true };
}

/**
 * The open issue labelled `label` carrying `mark`, commented on; or a new issue with that label. Returns its number
 * and whether it was opened now.
 */
export async function openOrUpdateIssue(
  github: GitHub,
  o: { label: string; mark: string; title: string; body: string; comment: string },
): Promise<{ number: number; url: string; opened: boolean }> {
  const { octokit, owner, repo } = github;
  const open = await octokit.paginate(octokit.rest.issues.listForRepo, {
    owner,
    repo,
    labels: o.label,
    state: 'open',
    per_page: 100,
  });
  const existing = open.filter((i) => !i.pull_request && i.body?.startsWith(o.mark)).at(0);
  if (existing) {
    await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: existing.number,
      body: markedBody(o.mark, o.comment),
    });
    return { number: existing.number, url: existing.html_url, opened: false };
  }
  const { data } = await octokit.rest.issues.create({
    owner,
    repo,
    title: o.title.slice(0, 256),
    body: markedBody(o.mark, o.body),
    labels: [o.label],
  });
  return { number: data.number, url: data.html_url, opened: true };
}
