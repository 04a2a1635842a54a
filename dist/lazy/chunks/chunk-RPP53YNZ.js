import {
  githubContext
} from "./chunk-Q7OLK7WB.js";

// src/github/seam.ts
async function githubFor(token, deps) {
  const context = githubContext(deps.env);
  if (!token) return { missing: "no github-token input" };
  if (!context.owner || !context.repo) return { missing: "GITHUB_REPOSITORY (owner/repo) is not set" };
  const { githubClient } = await import("./client-74ZVP3QX.js");
  const octokit = githubClient({ token, apiUrl: context.apiUrl, signal: deps.signal, log: deps.log });
  return { github: { octokit, owner: context.owner, repo: context.repo, context } };
}

export {
  githubFor
};
