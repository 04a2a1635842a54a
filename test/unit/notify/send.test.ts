/**
 * notify() against real webhook receivers on 127.0.0.1 (node:http, port 0): the bodies that arrive, the masking of
 * the URL and of the event, `on:` and `environments:` filtering, and hostile text in the event.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { jsonMessage, slackMessage } from '../../../src/notify/message.js';
import { hooksFor, maskHookUrls, notify } from '../../../src/notify/send.js';
import { closeReceivers, expectNoToken, hook, open, recordingLog, SUCCESS, TOKEN } from './fixtures.js';

afterEach(closeReceivers);

describe('notify: what arrives', () => {
  it('POSTs the Slack body to a slack hook and the JSON body to a json hook, in parallel, with the content type', async () => {
    const slack = await open();
    const json = await open();
    const rec = recordingLog();
    const env = { SLACK_URL: slack.url(TOKEN), EVENTS_URL: json.url(`${TOKEN}-2`) };
    const results = await notify(
      [
        hook({ name: 'ops', 'url-env': 'SLACK_URL', format: 'slack' }),
        hook({ 'url-env': 'EVENTS_URL', format: 'json' }),
      ],
      SUCCESS,
      { env, log: rec.log },
    );
    expect(results).toEqual([
      { name: 'ops', ok: true, status: 200 },
      { name: '#2', ok: true, status: 200 },
    ]);
    expect(slack.received).toHaveLength(1);
    const [s] = slack.received;
    expect(s?.method).toBe('POST');
    expect(s?.path).toBe(`/services/T000/B000/${TOKEN}`);
    expect(s?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(s?.body ?? '')).toEqual(slackMessage(SUCCESS));
    expect(JSON.parse(json.received[0]?.body ?? '')).toEqual(jsonMessage(SUCCESS));
    expect(rec.handed).toEqual([
      'notification ops (success) sent: HTTP 200',
      'notification #2 (success) sent: HTTP 200',
    ]);
    expectNoToken(rec);
  });

  it('registers every URL with the masker before the first request', async () => {
    const r = await open();
    const rec = recordingLog();
    const url = r.url(TOKEN);
    await notify([hook()], SUCCESS, { env: { HOOK_URL: url }, log: rec.log });
    expect(rec.order).toContain(`secret ${url}`);
    expect(rec.order).toContain(`secret /services/T000/B000/${TOKEN}`);
    expect(rec.log.mask(`posting to ${url}`)).toBe('posting to ***');
  });

  it('masks registered secrets in the event before it leaves the runner', async () => {
    const r = await open();
    const rec = recordingLog();
    rec.log.addSecret('db-password-123');
    await notify(
      [hook()],
      { ...SUCCESS, kind: 'failure', reason: 'psql: password db-password-123 refused' },
      {
        env: { HOOK_URL: r.url(TOKEN) },
        log: rec.log,
      },
    );
    expect(JSON.parse(r.received[0]?.body ?? '').reason).toBe('psql: password *** refused');
  });

  it('sends Basic credentials from the URL as a header, never in the log', async () => {
    const r = await open();
    const rec = recordingLog();
    const url = `http://deploy:pa55-SECRET@127.0.0.1:${r.port}/hook`;
    expect((await notify([hook()], SUCCESS, { env: { HOOK_URL: url }, log: rec.log }))[0]?.ok).toBe(true);
    expect(r.received[0]?.headers.authorization).toBe(`Basic ${Buffer.from('deploy:pa55-SECRET').toString('base64')}`);
    expect(r.received[0]?.path).toBe('/hook');
    expectNoToken(rec);
  });
});

describe('notify: which hooks', () => {
  it('calls only the hooks whose on: has the event and whose environments: has the environment', async () => {
    const r = await open();
    const rec = recordingLog();
    const hooks = [
      hook({ name: 'failures', on: ['failure', 'rollback'] }),
      hook({ name: 'staging only', environments: ['staging'] }),
      hook({ name: 'everything' }),
      hook({ name: 'prod', on: ['success'], environments: ['production'] }),
    ];
    const results = await notify(hooks, SUCCESS, { env: { HOOK_URL: r.url(TOKEN) }, log: rec.log });
    expect(results.map((x) => x.name)).toEqual(['everything', 'prod']);
    expect(r.received).toHaveLength(2);
    expect(hooksFor(hooks, { kind: 'rollback', environment: 'staging' }).map((h) => h.label)).toEqual([
      'failures',
      'staging only',
      'everything',
    ]);
    expect(await notify(hooks, { ...SUCCESS, kind: 'start', environment: 'qa' }, { env: {}, log: rec.log })).toEqual([
      { name: 'everything', ok: false, error: 'environment variable HOOK_URL is not set' },
    ]);
  });

  it('does nothing without hooks', async () => {
    const rec = recordingLog();
    expect(await notify([], SUCCESS, { env: {}, log: rec.log })).toEqual([]);
    expect(rec.handed).toEqual([]);
  });
});

describe('notify: hostile text', () => {
  it('a version and a reason that try to break the JSON, inject Slack links and mentions, or forge log lines', async () => {
    const slack = await open();
    const json = await open();
    const rec = recordingLog();
    const event = {
      ...SUCCESS,
      kind: 'failure' as const,
      version: 'v2"}<!channel>\n::error::forged',
      reason: '<https://evil.example|click> @here\r::warning::x\n##[error]y',
    };
    const results = await notify(
      [hook({ 'url-env': 'S', format: 'slack' }), hook({ 'url-env': 'J', format: 'json' })],
      event,
      { env: { S: slack.url(TOKEN), J: json.url(`${TOKEN}j`) }, log: rec.log },
    );
    expect(results.every((x) => x.ok)).toBe(true);
    const slackBody = slack.received[0]?.body ?? '';
    expect(JSON.parse(slackBody)).toEqual(slackMessage(event));
    expect(slackBody).not.toMatch(/<!channel>|<https:\/\/evil|@here/);
    const parsed = JSON.parse(json.received[0]?.body ?? '');
    expect(parsed.version).toBe('v2"}<!channel> ::error::forged');
    expect(parsed.reason).toBe('<https://evil.example|click> @here\n::warning::x\n##[error]y');
    // Our log lines carry no outside text: one line per hook, nothing for the runner to obey.
    expect(rec.printed).toEqual([
      'notification #1 (failure) sent: HTTP 200',
      'notification #2 (failure) sent: HTTP 200',
    ]);
  });
});

describe('maskHookUrls', () => {
  it('registers every set URL at the start of a run, skipping unset ones', () => {
    const rec = recordingLog();
    maskHookUrls([hook({ 'url-env': 'A' }), hook({ 'url-env': 'B' })], { A: `https://h.example/${TOKEN}` }, rec.log);
    expect(rec.log.mask(`url https://h.example/${TOKEN} and /${TOKEN}`)).toBe('url *** and ***');
  });
});
