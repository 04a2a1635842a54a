// src/http/expect.ts
function valuesAt(doc, path) {
  let current = [doc];
  for (const key of path.split(".")) {
    const next = [];
    for (const v of current) {
      if (v === null || typeof v !== "object") continue;
      if (key === "*") next.push(...Object.values(v));
      else if (Object.hasOwn(v, key)) next.push(v[key]);
    }
    current = next;
  }
  return current;
}
function unmet(e, status, body) {
  const problems = [];
  const statuses = e?.status === void 0 ? [200] : Array.isArray(e.status) ? e.status : [e.status];
  if (!statuses.includes(status)) problems.push(`status ${status}, expected ${statuses.join(" or ")}`);
  if (e?.json) {
    let doc;
    try {
      doc = JSON.parse(body);
    } catch {
      return [...problems, "body is not JSON"];
    }
    for (const [path, want] of Object.entries(e.json)) {
      const got = valuesAt(doc, path);
      if (typeof want === "object" && !Array.isArray(want)) {
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
          `${path} is ${JSON.stringify(bad[0])}, expected ${allowed.map((a) => JSON.stringify(a)).join(" or ")}`
        );
    }
  }
  return problems;
}

export {
  unmet
};
