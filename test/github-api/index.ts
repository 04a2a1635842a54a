/**
 * The local GitHub REST API fixture for unit and integration tests: `startGitHubApi()` (./server.ts), its state
 * (./state.ts) and GitHub's rate-limit and 5xx answers (./faults.ts).
 */
export { type FaultRule, faults } from './faults.js';
export {
  type GitHubApi,
  type GitHubApiOptions,
  type GitHubCall,
  type GitHubViolation,
  startGitHubApi,
} from './server.js';
export type {
  CheckRunSeed,
  CommentRecord,
  DeploymentRecord,
  DeploymentStatusRecord,
  GitHubState,
  IssueRecord,
  PullRecord,
  PullSide,
  StatusSeed,
} from './state.js';
