// src/github/context.ts
var { readFileSync } = process.getBuiltinModule("node:fs");
function readEvent(path) {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return {};
  }
}
function githubContext(env) {
  const repository = env.GITHUB_REPOSITORY || void 0;
  const [owner, repo] = repository?.split("/") ?? [];
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const pr = event.pull_request;
  const pullRequest = pr?.number !== void 0 ? {
    number: pr.number,
    headRepo: pr.head?.repo?.full_name,
    baseRepo: pr.base?.repo?.full_name,
    headSha: pr.head?.sha
  } : void 0;
  return {
    repository: owner && repo ? repository : void 0,
    owner: owner || void 0,
    repo: repo || void 0,
    sha: pullRequest?.headSha ?? (env.GITHUB_SHA || void 0),
    serverUrl: (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, ""),
    apiUrl: (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, ""),
    runId: env.GITHUB_RUN_ID || void 0,
    runAttempt: env.GITHUB_RUN_ATTEMPT || void 0,
    actor: env.GITHUB_ACTOR || void 0,
    eventName: env.GITHUB_EVENT_NAME || void 0,
    ref: env.GITHUB_REF || void 0,
    pullRequest
  };
}
function runLinks(c, environment) {
  if (!c.repository) return {};
  const base = `${c.serverUrl}/${c.repository}`;
  return {
    run: c.runId ? `${base}/actions/runs/${c.runId}${c.runAttempt && c.runAttempt !== "1" ? `/attempts/${c.runAttempt}` : ""}` : void 0,
    commit: c.sha ? `${base}/commit/${c.sha}` : void 0,
    environment: environment ? `${base}/deployments/${encodeURIComponent(environment)}` : void 0
  };
}
function untrustedReason(c) {
  const pr = c.pullRequest;
  if (!pr || !c.eventName?.startsWith("pull_request")) return void 0;
  if (!pr.headRepo) return `pull request #${pr.number} comes from a repository that no longer exists`;
  const base = pr.baseRepo ?? c.repository;
  if (base && pr.headRepo.toLowerCase() !== base.toLowerCase())
    return `pull request #${pr.number} comes from the fork ${pr.headRepo}`;
  return void 0;
}

export {
  githubContext,
  runLinks,
  untrustedReason
};
