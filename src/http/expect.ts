/** Expectations on an HTTP answer: status codes and JSON field assertions (`a.b`, `items.*.status`). */

export type Scalar = string | number | boolean;

/** A JSON assertion: equals a value, is one of a list, or (`{ exists: … }`) is present / absent with any value. */
export type JsonAssertion = Scalar | Scalar[] | { exists: boolean };

export interface Expectation {
  status?: number | number[];
  json?: Record<string, JsonAssertion>;
}

/** Values at a dotted path; `*` fans out over every element of an array or every value of an object. */
export function valuesAt(doc: unknown, path: string): unknown[] {
  let current: unknown[] = [doc];
  for (const key of path.split('.')) {
    const next: unknown[] = [];
    for (const v of current) {
      if (v === null || typeof v !== 'object') continue;
      if (key === '*') next.push(...Object.values(v as Record<string, unknown>));
      else if (Object.hasOwn(v, key)) next.push((v as Record<string, unknown>)[key]);
    }
    current = next;
  }
  return current;
}

/** Problems with an answer, empty when it meets the expectation. */
export function unmet(e: Expectation | undefined, status: number, body: string): string[] {
  const problems: string[] = [];
  const statuses = e?.status === undefined ? [200] : Array.isArray(e.status) ? e.status : [e.status];
  if (!statuses.includes(status)) problems.push(`status ${status}, expected ${statuses.join(' or ')}`);
  if (e?.json) {
    let doc: unknown;
    try {
      doc = JSON.parse(body);
    } catch {
      return [...problems, 'body is not JSON'];
    }
    for (const [path, want] of Object.entries(e.json)) {
      const got = valuesAt(doc, path);
      if (typeof want === 'object' && !Array.isArray(want)) {
        if (want.exists && got.length === 0) problems.push(`${path} is missing`);
        if (!want.exists && got.length > 0)
          problems.push(`${path} is present (${JSON.stringify(got[0])}), expected none`);
        continue;
      }
      const allowed = Array.isArray(want) ? want : [want];
      if (got.length === 0) problems.push(`${path} is missing`);
      const bad = got.filter((g) => !allowed.some((a) => a === g));
      if (bad.length > 0)
        problems.push(
          `${path} is ${JSON.stringify(bad[0])}, expected ${allowed.map((a) => JSON.stringify(a)).join(' or ')}`,
        );
    }
  }
  return problems;
}
