/** The webhook bodies (src/notify/message.ts): exact Slack and JSON bodies, every kind's headline, hostile text. */
import { describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../../src/notify/events.js';
import { runnerFacts } from '../../../src/notify/events.js';
import {
  escapeMrkdwn,
  JSON_SCHEMA,
  jsonMessage,
  messageBody,
  safeUrl,
  slackMessage,
  summaryText,
} from '../../../src/notify/message.js';
import { SUCCESS } from './fixtures.js';

const ZWSP = '\u200b';

describe('slack message', () => {
  it('is { text, blocks }: a headline, the facts as fields, the links as context', () => {
    expect(slackMessage(SUCCESS)).toEqual({
      text: ':white_check_mark: Deployed shop v2 to production (by octocat)',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':white_check_mark: Deployed *shop* *v2* to *production*' } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Environment*\nproduction' },
            { type: 'mrkdwn', text: '*Version*\nv2' },
            { type: 'mrkdwn', text: '*Previous version*\nv1' },
            { type: 'mrkdwn', text: '*Actor*\noctocat' },
            { type: 'mrkdwn', text: '*Release*\nr-20260101-abc' },
          ],
        },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: '<https://github.com/acme/shop/actions/runs/42|Workflow run> · <https://github.com/acme/shop/commit/abc123|Commit> · <https://shop.example.com/|Environment>',
            },
          ],
        },
      ],
    });
  });

  it('a rollback names the restored version, a failure carries its reason', () => {
    const rollback = slackMessage({
      kind: 'rollback',
      app: 'shop',
      environment: 'production',
      version: 'v3',
      restoredVersion: 'v2',
      reason: 'smoke test failed: /health answered 503',
      links: {},
    });
    expect(rollback).toEqual({
      text: ':leftwards_arrow_with_hook: Rolled back shop on production to v2 (from v3): smoke test failed: /health answered 503',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: ':leftwards_arrow_with_hook: Rolled back *shop* on *production* to *v2* (from *v3*)',
          },
        },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Environment*\nproduction' },
            { type: 'mrkdwn', text: '*Version*\nv3' },
            { type: 'mrkdwn', text: '*Restored version*\nv2' },
          ],
        },
        { type: 'section', text: { type: 'mrkdwn', text: '*Reason*\nsmoke test failed: /health answered 503' } },
      ],
    });
  });

  it.each([
    ['start', ':rocket: Deploying shop v2 to production (by octocat)'],
    ['success', ':white_check_mark: Deployed shop v2 to production (by octocat)'],
    ['refusal', ':no_entry: Refused to deploy shop v2 to production (by octocat)'],
    ['rollback', ':leftwards_arrow_with_hook: Rolled back shop on production (from v2) (by octocat)'],
    ['failure', ':x: Deploy of shop v2 to production failed (by octocat)'],
  ] as const)('%s: %s', (kind, text) => {
    expect(slackMessage({ ...SUCCESS, kind }).text).toBe(text);
  });

  it('escapes &, < and > so outside text cannot open a link or a special mention; @ cannot mention', () => {
    const hostile: DeployEvent = {
      ...SUCCESS,
      kind: 'failure',
      version: 'v2 <!channel> & <https://evil.example|click here> @here',
      reason: 'health failed:\r\n<@U123> said <!everyone>',
    };
    const body = slackMessage(hostile);
    const all = JSON.stringify(body);
    expect(all).not.toMatch(/<!|<@|<https:\/\/evil/);
    expect(all).not.toContain('@here');
    expect(body.blocks[1]).toMatchObject({
      fields: expect.arrayContaining([
        {
          type: 'mrkdwn',
          text: `*Version*\nv2 &lt;!channel&gt; &amp; &lt;https://evil.example|click here&gt; @${ZWSP}here`,
        },
      ]),
    });
    expect(body.blocks[2]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: `*Reason*\nhealth failed:\n&lt;@${ZWSP}U123&gt; said &lt;!everyone&gt;` },
    });
    // The only links are our own, well-formed ones.
    expect(body.blocks.at(-1)).toMatchObject({ type: 'context' });
  });

  it('takes control characters, line breaks and bidi overrides out of single-line values', () => {
    const body = slackMessage({ ...SUCCESS, version: 'v2\n::error::x\r\u001b[31m\u202egnp.exe', actor: 'a\u0000b' });
    expect(body.text).toBe(':white_check_mark: Deployed shop v2 ::error::x  [31m gnp.exe to production (by a b)');
    expect(JSON.stringify(body)).not.toMatch(/\\u00(00|1b)|\\r|\u202e/);
  });

  it('cuts long values: a 10 000-character reason stays within Slack block limits', () => {
    const body = slackMessage({ ...SUCCESS, kind: 'failure', reason: '&'.repeat(10_000), version: 'x'.repeat(1000) });
    for (const block of body.blocks) {
      const texts = 'text' in block ? [block.text] : 'fields' in block ? block.fields : block.elements;
      for (const t of texts) expect(t.text.length).toBeLessThanOrEqual(3000);
    }
    expect(body.blocks[2]).toMatchObject({ text: { text: expect.stringMatching(/^\*Reason\*\n(&amp;){499}…$/) } });
  });

  it('keeps only absolute http(s) links without credentials, with | and <> encoded', () => {
    const body = slackMessage({
      ...SUCCESS,
      links: {
        run: 'javascript:alert(1)',
        deployment: 'https://user:pw@example.com/d',
        commit: 'https://x.example/a|b<c>?q=1&r=2',
        environment: '/relative',
      },
    });
    expect(body.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '<https://x.example/a%7Cb%3Cc%3E?q=1&amp;r=2|Commit>' }],
    });
  });
});

describe('json message', () => {
  it('is the event with a schema, a summary and its links', () => {
    expect(jsonMessage(SUCCESS)).toEqual({
      schema: JSON_SCHEMA,
      event: 'success',
      app: 'shop',
      environment: 'production',
      version: 'v2',
      actor: 'octocat',
      releaseId: 'r-20260101-abc',
      previousVersion: 'v1',
      summary: 'Deployed shop v2 to production (by octocat)',
      links: {
        run: 'https://github.com/acme/shop/actions/runs/42',
        commit: 'https://github.com/acme/shop/commit/abc123',
        environment: 'https://shop.example.com/',
      },
    });
    expect(JSON_SCHEMA).toBe('runbook-actions/notification@1');
  });

  it('leaves absent fields out, and no value can break out of the JSON', () => {
    const hostile = { ...SUCCESS, version: 'v2","event":"success', reason: 'a"}\n{"b\u2028', links: {} };
    const parsed = JSON.parse(messageBody('json', hostile));
    expect(parsed.event).toBe('success');
    expect(parsed.version).toBe('v2","event":"success');
    expect(parsed.reason).toBe('a"}\n{"b');
    expect(parsed.links).toEqual({});
    expect(Object.keys(jsonMessage({ ...SUCCESS, actor: undefined, releaseId: ' ', links: {} }))).toEqual([
      'schema',
      'event',
      'app',
      'environment',
      'version',
      'previousVersion',
      'summary',
      'links',
    ]);
  });

  it('messageBody picks the format', () => {
    expect(JSON.parse(messageBody('slack', SUCCESS))).toEqual(slackMessage(SUCCESS));
    expect(JSON.parse(messageBody('json', SUCCESS))).toEqual(jsonMessage(SUCCESS));
    expect(summaryText(SUCCESS)).toBe('Deployed shop v2 to production (by octocat)');
  });
});

describe('helpers', () => {
  it('escapeMrkdwn escapes & first, so entities are not doubled wrongly', () => {
    expect(escapeMrkdwn('a & <b> &lt;')).toBe('a &amp; &lt;b&gt; &amp;lt;');
  });

  it.each([
    ['https://shop.example.com', 'https://shop.example.com/'],
    ['http://127.0.0.1:8080/x?y=1', 'http://127.0.0.1:8080/x?y=1'],
    ['ftp://x', undefined],
    ['https://a b', undefined],
    ['https://x/\u0000', undefined],
    ['not a url', undefined],
    [undefined, undefined],
  ])('safeUrl(%j) = %j', (url, expected) => {
    expect(safeUrl(url)).toBe(expected);
  });

  it('runnerFacts builds the run and commit links from the GITHUB_* variables', () => {
    expect(
      runnerFacts({
        GITHUB_SERVER_URL: 'https://github.example.com/',
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_RUN_ID: '42',
        GITHUB_RUN_ATTEMPT: '2',
        GITHUB_SHA: 'abc123',
        GITHUB_ACTOR: 'octocat',
      }),
    ).toEqual({
      actor: 'octocat',
      links: {
        run: 'https://github.example.com/acme/shop/actions/runs/42/attempts/2',
        commit: 'https://github.example.com/acme/shop/commit/abc123',
      },
    });
    expect(runnerFacts({ GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '7', GITHUB_RUN_ATTEMPT: '1' })).toEqual({
      links: { run: 'https://github.com/acme/shop/actions/runs/7' },
    });
    expect(runnerFacts({})).toEqual({ links: {} });
  });
});
