import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loader.js';
import type { SmokeCheck } from '../../../src/config/schema.js';
import { problemsOf, statusOk } from '../../../src/smoke/evaluate.js';
import { configError } from '../config/helpers.js';

/** One check parsed through the real schema (flow YAML for its `expect`). */
function check(expect: string): SmokeCheck {
  const config = parseConfig(
    `app: shop\nenvironments: { prod: { targets: [{ name: a, local: true }] } }\nsmoke:\n  checks: [{ name: c, url: /health, expect: ${expect} }]\n`,
    'runbook.yml',
  );
  const c = config.smoke?.checks[0];
  if (!c) throw new Error('no check');
  return c;
}

const answer = (status: number, body: unknown) => ({
  status,
  body: JSON.stringify(body),
  latencyMs: 5,
  truncated: false,
});

describe('smoke expectations', () => {
  it('status: a code, a list, a class, a range; default any 2xx', () => {
    expect(statusOk(undefined, 204)).toBe(true);
    expect(statusOk(undefined, 301)).toBe(false);
    expect(statusOk([200, 204], 204)).toBe(true);
    expect(statusOk('3xx', 302)).toBe(true);
    expect(statusOk('200-399', 302)).toBe(true);
    expect(statusOk('200-399', 404)).toBe(false);
    expect(problemsOf(check('{ status: "200-299" }'), answer(503, {}))).toEqual(['status 503, expected "200-299"']);
  });

  it('json: equals, one of, exists, absent, and every element of a collection', () => {
    const c = check(
      '{ json: { status: ok, version: { exists: true }, debug: { exists: false }, "deps.*.status": [healthy, degraded] } }',
    );
    expect(problemsOf(c, answer(200, { status: 'ok', version: 'v2', deps: { db: { status: 'healthy' } } }))).toEqual(
      [],
    );
    expect(
      problemsOf(
        c,
        answer(200, { status: 'ok', debug: true, deps: { db: { status: 'healthy' }, mq: { status: 'down' } } }),
      ),
    ).toEqual([
      'version is missing',
      'debug is present (true), expected none',
      'deps.*.status is "down", expected "healthy" or "degraded"',
    ]);
  });

  it('the schema names what is allowed for a bad status or JSON assertion', () => {
    expect(
      configError(
        'app: shop\nenvironments: { p: { targets: [{ name: a, local: true }] } }\nsmoke:\n  checks: [{ name: c, url: /, expect: { status: "399-200" } }]\n',
      ).message,
    ).toMatch(/smoke\.checks\[0\]\.expect\.status: .*range/);
    expect(
      configError(
        'app: shop\nenvironments: { p: { targets: [{ name: a, local: true }] } }\nsmoke:\n  checks: [{ name: c, url: /, expect: { json: { a: { present: 1 } } } }]\n',
      ).message,
    ).toMatch(/expected a value, a list of values, or \{ exists: true \| false \}/);
  });
});
