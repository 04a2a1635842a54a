/**
 * notify() when a hook fails, against real receivers on 127.0.0.1 (node:http, port 0) and a closed port: an error
 * status, a redirect, no answer within the timeout, a refused connection, an unusable URL variable, a cancelled run.
 * Each is one warning and a result, never a throw, and the URL's token is in no log line, neither as handed to the
 * logger nor as printed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { notify } from '../../../src/notify/send.js';
import { closedPort, closeReceivers, expectNoToken, hook, open, recordingLog, SUCCESS, TOKEN } from './fixtures.js';

afterEach(closeReceivers);

describe('notify: a failing hook is a warning, never an error', () => {
  it('an error status: the status and the start of the answer, as one warning', async () => {
    const r = await open((res) => res.writeHead(500).end('invalid_payload\n::error::pwned ##[error]x'));
    const rec = recordingLog();
    const results = await notify([hook({ name: 'ops', format: 'slack' })], SUCCESS, {
      env: { HOOK_URL: r.url(TOKEN) },
      log: rec.log,
    });
    expect(results).toEqual([
      { name: 'ops', ok: false, status: 500, error: 'HTTP 500: invalid_payload ::error::pwned ##\\[error]x' },
    ]);
    expect(rec.warnings()).toEqual([
      'warning: notification ops (success) failed: HTTP 500: invalid_payload ::error::pwned ##\\[error]x',
    ]);
    expect(rec.printed).toEqual([
      '::warning::notification ops (success) failed: HTTP 500: invalid_payload ::error::pwned ##\\[error]x',
    ]);
    expectNoToken(rec);
  });

  it('a redirect is not followed', async () => {
    const r = await open((res) => res.writeHead(302, { location: 'https://login.example.com/' }).end());
    const rec = recordingLog();
    const [result] = await notify([hook()], SUCCESS, { env: { HOOK_URL: r.url(TOKEN) }, log: rec.log });
    expect(result).toEqual({ name: '#1', ok: false, status: 302, error: 'HTTP 302 (redirects are not followed)' });
    expect(r.received).toHaveLength(1);
  });

  it('a hook that never answers: given up after its timeout (1 s)', async () => {
    const r = await open(() => undefined);
    const rec = recordingLog();
    const [result] = await notify(
      [hook({ timeout: 1000 })],
      { ...SUCCESS, kind: 'start' },
      {
        env: { HOOK_URL: r.url(TOKEN) },
        log: rec.log,
      },
    );
    expect(result).toEqual({ name: '#1', ok: false, error: 'no complete answer within 1000 ms' });
    expect(rec.warnings()).toEqual(['warning: notification #1 (start) failed: no complete answer within 1000 ms']);
    expectNoToken(rec);
  });

  it('a refused connection', async () => {
    const port = await closedPort();
    const rec = recordingLog();
    const [result] = await notify(
      [hook()],
      { ...SUCCESS, kind: 'failure' },
      {
        env: { HOOK_URL: `http://127.0.0.1:${port}/services/T000/B000/${TOKEN}` },
        log: rec.log,
      },
    );
    expect(result).toEqual({
      name: '#1',
      ok: false,
      error: `connection refused by 127.0.0.1:${port} (nothing listens there)`,
    });
    expect(rec.warnings()).toHaveLength(1);
    expectNoToken(rec);
  });

  it('one failing hook does not keep the others from being sent', async () => {
    const good = await open();
    const bad = await open((res) => res.writeHead(404).end('no_service'));
    const rec = recordingLog();
    const results = await notify([hook({ 'url-env': 'BAD' }), hook({ 'url-env': 'GOOD' })], SUCCESS, {
      env: { BAD: bad.url(TOKEN), GOOD: good.url(`${TOKEN}-good`) },
      log: rec.log,
    });
    expect(results.map((x) => [x.name, x.ok, x.status])).toEqual([
      ['#1', false, 404],
      ['#2', true, 200],
    ]);
    expectNoToken(rec);
  });

  it.each([
    [{}, 'environment variable HOOK_URL is not set'],
    [{ HOOK_URL: '' }, 'environment variable HOOK_URL is empty'],
    [{ HOOK_URL: '  \n' }, 'environment variable HOOK_URL is empty'],
    [{ HOOK_URL: `hooks.slack.com/services/${TOKEN}` }, 'environment variable HOOK_URL does not hold a URL'],
    [
      { HOOK_URL: `ftp://hooks.example.com/${TOKEN}` },
      'environment variable HOOK_URL holds a ftp URL, expected http(s)',
    ],
    [{ HOOK_URL: 'x' }, 'environment variable HOOK_URL does not hold a URL'],
  ])('the URL variable %j: a warning naming the variable, never the value', async (env, problem) => {
    const rec = recordingLog();
    const results = await notify([hook()], SUCCESS, { env, log: rec.log });
    expect(results).toEqual([{ name: '#1', ok: false, error: problem }]);
    expect(rec.warnings()).toEqual([`warning: notification #1 (success) not sent: ${problem}`]);
    expectNoToken(rec);
  });

  it('a cancelled run: the request ends at once, reported as cancelled', async () => {
    const r = await open(() => undefined);
    const rec = recordingLog();
    const abort = new AbortController();
    const pending = notify([hook()], SUCCESS, { env: { HOOK_URL: r.url(TOKEN) }, log: rec.log, signal: abort.signal });
    setTimeout(() => abort.abort(), 100);
    expect(await pending).toEqual([{ name: '#1', ok: false, error: 'cancelled' }]);
  });

  it('a request function that throws is still a warning', async () => {
    const rec = recordingLog();
    const results = await notify([hook()], SUCCESS, {
      env: { HOOK_URL: `https://hooks.example.com/services/${TOKEN}` },
      log: rec.log,
      request: (url) => Promise.reject(new Error(`boom at ${url}`)),
    });
    expect(results).toEqual([{ name: '#1', ok: false, error: 'unexpected error: boom at ***' }]);
    expectNoToken(rec);
  });
});
