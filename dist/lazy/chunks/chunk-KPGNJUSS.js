// src/config/text.ts
function show(value, max = 60) {
  let text;
  try {
    text = value === void 0 ? "nothing" : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}\u2026` : text;
}
var PLAIN_KEY = /^[A-Za-z0-9_-]+$/;
function formatPath(path) {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (typeof seg === "string" && PLAIN_KEY.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}
function editDistance(a, b) {
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
function closest(word, candidates) {
  const w = word.toLowerCase();
  let best;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best !== void 0 && bestDistance <= 2 && bestDistance < Math.max(w.length, 1)) return best;
  if (w.length < 3) return void 0;
  return candidates.find((c) => {
    const lc = c.toLowerCase();
    return lc.startsWith(w) || w.startsWith(lc) || lc.startsWith(w.slice(0, Math.max(3, w.length - 2)));
  });
}
function didYouMean(word, candidates) {
  const match = closest(word, candidates);
  return match === void 0 ? "" : ` (did you mean ${JSON.stringify(match)}?)`;
}

export {
  show,
  formatPath,
  closest,
  didYouMean
};
