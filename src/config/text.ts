/** Small text helpers for config error messages: showing values, key paths and "did you mean" suggestions. */

/** A value as JSON, cut to about `max` characters so one bad value cannot flood a message. */
export function show(value: unknown, max = 60): string {
  let text: string;
  try {
    text = value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

/** `environments.production.targets[0].ssh.port`; keys with unusual characters are shown as `["checks.*"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

/** Levenshtein edit distance (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * The candidate closest to `word`: within edit distance 2 (ignoring case), or sharing a prefix of at least 3
 * characters when nothing is that close. Undefined when nothing is a plausible typo.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= 2 && bestDistance < Math.max(w.length, 1)) return best;
  if (w.length < 3) return undefined;
  return candidates.find((c) => {
    const lc = c.toLowerCase();
    return lc.startsWith(w) || w.startsWith(lc) || lc.startsWith(w.slice(0, Math.max(3, w.length - 2)));
  });
}

/** ` (did you mean "port"?)` or an empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closest(word, candidates);
  return match === undefined ? '' : ` (did you mean ${JSON.stringify(match)}?)`;
}
