import {
  createBackup
} from "./chunk-X4UYGBBN.js";
import {
  compareCounts,
  fileSha256,
  verifyDump
} from "./chunk-4JMFLAWY.js";
import {
  firstError,
  restoreCommand
} from "./chunk-XOMS26GA.js";
import {
  UserError
} from "./chunk-O2HJWNJA.js";

// src/backup/restore.ts
async function integrityProblem(d, meta) {
  const path = d.store.path(meta.file);
  if (!await d.store.exists(meta.file)) return `${path} is missing`;
  const sha256 = await fileSha256(d.pg.t, path, d.pg.signal);
  if (sha256 !== meta.sha256)
    return `${meta.file} has changed since it was made: sha256 ${sha256}, recorded ${meta.sha256}`;
  return void 0;
}
async function reverifyBackup(d, meta, method) {
  const failure = await integrityProblem(d, meta) ?? await verifyDump(d.pg, d.store.path(meta.file), meta, method);
  const at = d.clock.now();
  if (failure !== void 0) {
    if (await d.store.exists(meta.file)) await d.store.markBad(meta, failure, at);
    throw new UserError(`backup ${meta.id} failed its verify (${method}): ${failure}`);
  }
  const file = meta.file.endsWith(".bad") ? meta.file.slice(0, -".bad".length) : meta.file;
  const good = { ...meta, file, verified: true, verifyMethod: method, verifiedAt: at.toISOString(), error: void 0 };
  await d.store.save(good);
  if (file !== meta.file) await d.store.moveInto(d.store.path(meta.file), file);
  return good;
}
async function restoreBackup(d, meta, safetyPlan) {
  const { pg, store } = d;
  if (!meta.verified) {
    throw new UserError(
      `backup ${meta.id} is not verified${meta.error ? ` (${meta.error})` : ""}; refusing to restore it`
    );
  }
  const problem = await integrityProblem(d, meta);
  if (problem !== void 0) throw new UserError(`refusing to restore ${meta.id}: ${problem}`);
  const safety = await pg.log.group("Safety backup of the current database", () => createBackup(d, safetyPlan));
  pg.log.info(`safety backup ${safety.meta.id} is verified; restoring ${meta.id} over ${pg.endpoint.database}`);
  const cmd = restoreCommand(pg.endpoint, pg.endpoint.database, store.path(meta.file), {
    format: meta.format,
    gzip: meta.gzip,
    clean: true
  });
  const r = await pg.exec(cmd);
  if (r.code !== 0) {
    throw new UserError(
      `restoring ${meta.id} failed (${firstError(r)}); it ran in one transaction, so ${pg.endpoint.database} is unchanged (safety backup: ${safety.meta.id})`
    );
  }
  const differences = compareCounts(meta.rowCounts, (await pg.counts(pg.endpoint.database)).counts);
  return { restored: meta, safety, differences };
}

export {
  reverifyBackup,
  restoreBackup
};
