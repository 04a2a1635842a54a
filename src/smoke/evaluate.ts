import type { SmokeCheck } from '../config/schema.js';
import type { HttpAnswer } from '../http/client.js';
import { unmet } from '../http/expect.js';

/** What a check's verdict looks at in an answer. */
export type SmokeAnswer = Pick<HttpAnswer, 'status' | 'body' | 'latencyMs' | 'location' | 'truncated'>;

/** Does the status meet `200`, `[200, 204]`, a class `"2xx"` or a range `"200-399"`? (Default: any 2xx.) */
export function statusOk(expected: number | number[] | string | undefined, status: number): boolean {
  if (expected === undefined) return status >= 200 && status < 300;
  if (typeof expected === 'string') {
    const range = /^(\d{3})-(\d{3})$/.exec(expected);
    if (range) return status >= Number(range[1]) && status <= Number(range[2]);
    return String(status)[0] === expected[0];
  }
  return (Array.isArray(expected) ? expected : [expected]).includes(status);
}

/** What is wrong with an answer, empty when the check passes. */
export function problemsOf(check: SmokeCheck, a: SmokeAnswer): string[] {
  const e = check.expect;
  const problems: string[] = [];
  if (!statusOk(e?.status, a.status)) {
    const want = e?.status === undefined ? '2xx' : JSON.stringify(e.status);
    const moved = a.location && a.status >= 300 && a.status < 400 ? ` (redirect to ${a.location}, not followed)` : '';
    problems.push(`status ${a.status}${moved}, expected ${want}`);
  }
  if (e?.json) problems.push(...unmet({ status: a.status, json: e.json }, a.status, a.body));
  if (e?.regex && !new RegExp(e.regex, 'u').test(a.body)) problems.push(`body does not match /${e.regex}/`);
  const max = e?.['max-latency'];
  if (max !== undefined && a.latencyMs > max) problems.push(`took ${Math.round(a.latencyMs)} ms, max ${max} ms`);
  if (a.truncated) problems.push('body larger than the cap (cut)');
  return problems;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}
