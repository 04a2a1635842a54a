/** The meaning of `notifications:` (see reference.ts for the shape and how docs are generated). */
import type { KeyReferences, SectionReference } from './reference.js';

const N = 'notifications[]';

export const NOTIFY_KEYS: KeyReferences = {
  notifications: {
    meaning:
      'Webhooks told when a deploy starts, succeeds, is refused, is rolled back or fails, with the app, version, environment, actor and links to the run, the commit, the deployment and the site. A webhook that fails (an error answer, no answer within `timeout`, no connection) is reported as a warning and never fails the deploy.',
    example: [{ name: 'ops channel', 'url-env': 'SLACK_WEBHOOK_URL', format: 'slack', on: ['failure', 'rollback'] }],
    defaultNote: 'none (`[]`)',
  },
  [`${N}.name`]: {
    meaning:
      'A label for the log and the results: letters, digits, spaces, `#`, `_`, `.` and `-`, at most 63 characters, each name once. The log never shows the URL.',
    example: 'ops channel',
    defaultNote: '`#1`, `#2`… (its place in the list)',
  },
  [`${N}.url-env`]: {
    meaning:
      "The runner environment variable that holds the webhook URL (an http(s) URL; it usually carries a token, so keep it in a repository secret and pass it to the step's `env:`). Its value is masked in everything logged. When it is unset or empty, the run warns, naming the variable, and goes on.",
    example: 'SLACK_WEBHOOK_URL',
  },
  [`${N}.format`]: {
    meaning:
      'The body POSTed as `application/json`: `slack` is a Slack-compatible message (`text` plus `blocks` in mrkdwn, which Mattermost and Rocket.Chat incoming webhooks read too), `json` the event itself: `schema`, `event`, `app`, `environment`, `version`, `actor`, `releaseId`, `previousVersion`, `restoredVersion`, `reason`, `summary` and `links`.',
    example: 'slack',
  },
  [`${N}.on`]: {
    meaning:
      'The events sent: `start` (the deploy begins), `success` (it is live), `refusal` (a check or the lock refused it; nothing changed), `rollback` (the previous version was restored) and `failure` (it failed).',
    example: ['failure', 'rollback'],
    default: ['start', 'success', 'refusal', 'rollback', 'failure'],
  },
  [`${N}.environments`]: {
    meaning: 'Only deploys to these environments are sent; each must be one of `environments`.',
    example: ['production'],
    defaultNote: 'every environment',
  },
  [`${N}.timeout`]: {
    meaning:
      'The deadline of each request (connecting, sending and the whole answer): from `1s` to `60s`. Hooks are called in parallel, so a slow one delays the run by at most this long.',
    example: '5s',
    default: '10s',
  },
};

export const NOTIFY_SECTIONS: readonly SectionReference[] = [
  {
    path: 'notifications',
    title: '`notifications`',
    intro:
      'Each webhook is sent a POST with a JSON body for the events in its `on` list, all webhooks at once. The URL is read from the runner environment variable named by `url-env` and masked; text from outside (a version, a failure reason) is escaped so it cannot add links or mentions to a Slack message. A failed webhook is a warning: the deploy goes on.',
    examples: [
      `notifications:
  - name: ops channel
    url-env: SLACK_WEBHOOK_URL
    format: slack
    on: [start, success, rollback, failure]
    environments: [production]
  - url-env: DEPLOY_EVENTS_URL
    format: json
    timeout: 5s
`,
    ],
  },
];
