import {
  errorMessage
} from "./chunk-O2HJWNJA.js";

// src/backup/retention.ts
var dayKey = (d) => d.toISOString().slice(0, 10);
var monthKey = (d) => d.toISOString().slice(0, 7);
function weekKey(d) {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  t.setUTCDate(t.getUTCDate() + 4 - (t.getUTCDay() || 7));
  const week = Math.ceil(((t.getTime() - Date.UTC(t.getUTCFullYear(), 0, 1)) / 864e5 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}
function selectRetention(backups, policy, pinned) {
  const newestFirst = [...backups].sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
  const verified = newestFirst.filter((b) => b.verified);
  const reasons = /* @__PURE__ */ new Map();
  const keep = (id, why) => {
    reasons.set(id, [...reasons.get(id) ?? [], why]);
  };
  const newest = verified[0];
  if (newest === void 0)
    return { keep: newestFirst.map((b) => ({ id: b.id, reasons: ["no verified backup yet"] })), remove: [] };
  keep(newest.id, "newest verified");
  verified.slice(0, policy["keep-last"]).forEach((b, i) => {
    keep(b.id, `keep-last ${i + 1}/${policy["keep-last"]}`);
  });
  const tiers = [
    ["daily", policy.daily, dayKey],
    ["weekly", policy.weekly, weekKey],
    ["monthly", policy.monthly, monthKey]
  ];
  for (const [tier, count, key] of tiers) {
    const seen = /* @__PURE__ */ new Set();
    for (const b of verified) {
      if (seen.size >= count) break;
      const k = key(new Date(b.created));
      if (seen.has(k)) continue;
      seen.add(k);
      keep(b.id, `${tier} ${k}`);
    }
  }
  for (const b of newestFirst) {
    const release = pinned.get(b.id);
    if (release !== void 0) keep(b.id, `named by ${release} in the journal`);
    if (!b.verified && Date.parse(b.created) > Date.parse(newest.created)) keep(b.id, "newer than the newest verified");
  }
  const decision = { keep: [], remove: [] };
  for (const b of newestFirst) {
    const why = reasons.get(b.id);
    if (why !== void 0) decision.keep.push({ id: b.id, reasons: why });
    else decision.remove.push({ id: b.id, why: b.verified ? "outside retention" : "failed its verify" });
  }
  return decision;
}
function pinnedByJournal(j) {
  const pinned = /* @__PURE__ */ new Map();
  for (const r of j.releases) if (r.backupId) pinned.set(r.backupId, `release ${r.id}`);
  for (const m of j.migrations ?? [])
    if (m.backupId && !pinned.has(m.backupId)) pinned.set(m.backupId, `migration ${m.id}`);
  return pinned;
}
async function applyRetention(store, policy, pinned, log) {
  const { backups } = await store.list();
  const decision = selectRetention(backups, policy, pinned);
  const byId = new Map(backups.map((b) => [b.id, b]));
  for (const { id, why } of decision.remove) {
    const meta = byId.get(id);
    if (meta === void 0) continue;
    try {
      await store.remove(meta);
      log.info(`retention: removed ${id} (${why})`);
    } catch (err) {
      log.warn(`retention: could not remove ${id}: ${errorMessage(err)}`);
    }
  }
  log.info(`retention: kept ${decision.keep.length}, removed ${decision.remove.length}`);
  return decision;
}

export {
  pinnedByJournal,
  applyRetention
};
