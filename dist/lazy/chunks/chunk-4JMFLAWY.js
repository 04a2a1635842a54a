import {
  firstError,
  listArchiveCommand,
  restoreCommand
} from "./chunk-XOMS26GA.js";
import {
  gzipTestArgv,
  sha256Argv,
  tailArgv
} from "./chunk-CSTC25GN.js";
import {
  CancelledError,
  errorMessage
} from "./chunk-O2HJWNJA.js";

// src/backup/verify.ts
function compareCounts(expected, actual) {
  const problems = [];
  for (const [table, n] of Object.entries(expected)) {
    const got = actual[table];
    if (got === void 0) problems.push(`${table} is missing`);
    else if (got !== n) problems.push(`${table} has ${got} rows, the dump held ${n}`);
  }
  for (const table of Object.keys(actual)) {
    if (!(table in expected)) problems.push(`${table} was not in the dump`);
  }
  return problems;
}
async function verifyDump(pg, file, facts, method) {
  let outcome;
  try {
    outcome = method === "restore" ? await verifyByRestore(pg, file, facts) : await verifyByList(pg, file, facts);
  } catch (err) {
    outcome = errorMessage(err);
  }
  throwIfCancelled(pg.signal);
  return outcome;
}
function throwIfCancelled(signal) {
  if (!signal?.aborted) return;
  throw signal.reason instanceof Error ? signal.reason : new CancelledError("cancelled");
}
async function verifyByRestore(pg, file, facts) {
  const scratch = await pg.createScratch("verify");
  try {
    const restore = restoreCommand(pg.endpoint, scratch, file, {
      format: facts.format,
      gzip: facts.gzip,
      clean: false
    });
    const r = await pg.exec(restore);
    if (r.code !== 0) return `restoring into a scratch database failed (${firstError(r)})`;
    const problems = compareCounts(facts.rowCounts, (await pg.counts(scratch)).counts);
    if (problems.length > 0) return `the restored rows differ from the dump's: ${problems.slice(0, 5).join("; ")}`;
    pg.log.info(
      `verified by restore: ${Object.keys(facts.rowCounts).length} tables, ${sum(facts.rowCounts)} rows match`
    );
    return void 0;
  } finally {
    await pg.dropScratch(scratch);
  }
}
async function verifyByList(pg, file, facts) {
  if (facts.format === "custom") {
    const r = await pg.exec(listArchiveCommand(pg.endpoint, file));
    if (r.code !== 0) return `pg_restore -l could not read the archive (${firstError(r)})`;
    if (!/^;\s*Archive created at/m.test(r.stdout)) return "pg_restore -l printed no table of contents";
  } else if (facts.gzip) {
    const r = await pg.t.exec(gzipTestArgv(file), { quiet: true, signal: pg.signal });
    if (r.code !== 0) return `gzip -t found the archive damaged (${firstError(r)})`;
  } else {
    const r = await pg.t.exec(tailArgv(file, 512), { quiet: true, signal: pg.signal });
    if (r.code !== 0 || !r.stdout.includes("PostgreSQL database dump complete")) {
      return 'the plain dump does not end with "PostgreSQL database dump complete" (truncated?)';
    }
  }
  pg.log.warn("verified by listing only (verify: list): this does not prove the backup restorable");
  return void 0;
}
async function fileSha256(t, file, signal) {
  const r = await t.exec(sha256Argv(file), { quiet: true, signal });
  const hex = /^[0-9a-f]{64}/.exec(r.stdout)?.[0];
  if (r.code !== 0 || hex === void 0) throw new Error(`sha256sum ${file} failed (${firstError(r)})`);
  return hex;
}
var sum = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);

export {
  compareCounts,
  verifyDump,
  fileSha256
};
