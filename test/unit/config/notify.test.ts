/** `notifications:`: defaults, the allowed forms, and errors that name the field, the bad value and what is allowed. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loader.js';
import { hookLabel } from '../../../src/config/schema-notify.js';
import { configError, minimal } from './helpers.js';

/** A config with two environments and `notifications: <yaml>`. */
function withNotifications(yaml: string): string {
  return `app: shop
environments:
  production:
    targets: [{ name: self, local: true }]
  staging:
    targets: [{ name: self, local: true }]
notifications: ${yaml}
`;
}

const parsed = (yaml: string) => parseConfig(withNotifications(yaml), 'runbook.yml').notifications;
const problem = (yaml: string) => configError(withNotifications(yaml)).message;

describe('notifications', () => {
  it('is an empty list when left out', () => {
    expect(parseConfig(minimal(), 'runbook.yml').notifications).toEqual([]);
  });

  it('defaults: every event, every environment, a 10 s timeout, no name', () => {
    expect(parsed('[{ url-env: SLACK_WEBHOOK_URL, format: slack }]')).toEqual([
      {
        'url-env': 'SLACK_WEBHOOK_URL',
        format: 'slack',
        on: ['start', 'success', 'refusal', 'rollback', 'failure'],
        timeout: 10_000,
      },
    ]);
  });

  it('takes every key, with `on:` as a plain key in YAML 1.2', () => {
    const text = withNotifications(`
  - name: "#deploys"
    url-env: DEPLOY_HOOK
    format: json
    on: [failure, rollback]
    environments: [production]
    timeout: 1m
`);
    expect(parseConfig(text, 'runbook.yml').notifications).toEqual([
      {
        name: '#deploys',
        'url-env': 'DEPLOY_HOOK',
        format: 'json',
        on: ['failure', 'rollback'],
        environments: ['production'],
        timeout: 60_000,
      },
    ]);
  });

  it.each([
    ['[{ url-env: A, format: slack, timeout: 1s }]', 1000],
    ['[{ url-env: A, format: slack, timeout: 60s }]', 60_000],
    ['[{ url-env: A, format: slack, timeout: 2500ms }]', 2500],
  ])('%s: timeout %d ms', (yaml, ms) => {
    expect(parsed(yaml)[0]?.timeout).toBe(ms);
  });

  it.each([
    [
      '{ url-env: A, format: slack }',
      /^runbook\.yml:7:16: notifications: got \{"url-env":"A","format":"slack"\}, expected a list of webhooks/,
    ],
    [
      '[{ format: slack }]',
      /notifications\[0\]\.url-env: missing required key; expected the NAME of an environment variable/,
    ],
    [
      '[{ url-env: https://hooks.slack.com/services/T0/B0/x, format: slack }]',
      /notifications\[0\]\.url-env: got "https:\/\/hooks\.slack\.com.*expected the NAME of an environment variable, like DB_PASSWORD .*never the value itself/,
    ],
    [
      '[{ url-env: slack_url, format: slack }]',
      /url-env: got "slack_url", expected the NAME of an environment variable/,
    ],
    ['[{ url-env: A }]', /notifications\[0\]\.format: got nothing, expected one of slack, json/],
    ['[{ url-env: A, format: teams }]', /notifications\[0\]\.format: got "teams", expected one of slack, json/],
    ['[{ url-env: A, format: slak }]', /format: got "slak", expected one of slack, json \(did you mean "slack"\?\)/],
    [
      '[{ url-env: A, format: slack, on: [deploy] }]',
      /notifications\[0\]\.on\[0\]: got "deploy", expected one of start, success, refusal, rollback, failure/,
    ],
    [
      '[{ url-env: A, format: slack, on: [] }]',
      /notifications\[0\]\.on: got \[\], expected at least one event \(start, success, refusal, rollback, failure\); remove the hook to send none/,
    ],
    [
      '[{ url-env: A, format: slack, on: failure }]',
      /notifications\[0\]\.on: got "failure", expected a list of events from start, success, refusal, rollback, failure/,
    ],
    [
      '[{ url-env: A, format: slack, on: [failure, failure] }]',
      /notifications\[0\]\.on\[1\]: duplicate event "failure" \(already used by item 0\)/,
    ],
    [
      '[{ url-env: A, format: slack, timeout: 0s }]',
      /notifications\[0\]\.timeout: got "0s", expected a duration from 1s to 1m/,
    ],
    [
      '[{ url-env: A, format: slack, timeout: 2m }]',
      /notifications\[0\]\.timeout: got "2m", expected a duration from 1s to 1m/,
    ],
    [
      '[{ url-env: A, format: slack, timeout: 10 }]',
      /notifications\[0\]\.timeout: got 10, expected a duration with a unit, like "10s"/,
    ],
    [
      '[{ url-env: A, format: slack, environments: [prod] }]',
      /notifications\[0\]\.environments\[0\]: unknown environment "prod" \(defined environments: production, staging\)/,
    ],
    [
      '[{ url-env: A, format: slack, environments: [] }]',
      /notifications\[0\]\.environments: got \[\], expected at least one environment; leave the key out/,
    ],
    ['[{ url-env: A, format: slack, name: "" }]', /notifications\[0\]\.name: got "", expected a short label/],
    ['[{ url-env: A, format: slack, name: "a\\nb" }]', /notifications\[0\]\.name: got "a\\nb", expected a short label/],
    [
      '[{ url-env: A, format: slack, url: "https://x" }]',
      /notifications\[0\]\.url: unknown key "url" \(did you mean "url-env"\?\)/,
    ],
    [
      '[{ url-env: A, format: slack, name: ops }, { url-env: B, format: json, name: ops }]',
      /notifications\[1\]\.name: duplicate webhook name "ops" \(already used by item 0\)/,
    ],
    [
      `[${Array.from({ length: 21 }, () => '{ url-env: A, format: json }').join(', ')}]`,
      /notifications: .*expected at most 20 webhooks/,
    ],
  ])('%s → %s', (yaml, expected) => {
    expect(problem(yaml)).toMatch(expected);
  });

  it('names a hook by its name, or by its place in the list from 1', () => {
    expect(hookLabel({ name: 'ops' }, 0)).toBe('ops');
    expect(hookLabel({}, 2)).toBe('#3');
  });
});
