/**
 * Webhook notifications: `notify(config.notifications, event, { env, log, signal })` tells the hooks configured in
 * runbook.yml that a deploy started, succeeded, was refused, was rolled back or failed. It never throws and never
 * fails a run; each hook's outcome is a result and, when it failed, one warning.
 */
export {
  type DeployEvent,
  type EventLinks,
  NOTIFY_KINDS,
  type NotifyKind,
  type RunnerFacts,
  runnerFacts,
} from './events.js';
export {
  JSON_SCHEMA,
  type JsonMessage,
  jsonMessage,
  messageBody,
  type SlackMessage,
  slackMessage,
  summaryText,
} from './message.js';
export { hooksFor, maskHookUrls, type NotifyDeps, type NotifyResult, notify } from './send.js';
