import {
  fileSha256,
  verifyDump
} from "./chunk-4JMFLAWY.js";
import {
  backupId,
  dumpExtension,
  firstError,
  parseCounts,
  pgDumpCommand,
  psqlCommand,
  snapshotSessionSql,
  viaArgv
} from "./chunk-XOMS26GA.js";
import {
  check
} from "./chunk-H5JJLJ3Z.js";
import {
  catArgv,
  mkdirArgv,
  removeFilesArgv,
  sizeArgv,
  syncPathArgv
} from "./chunk-CSTC25GN.js";
import {
  UserError
} from "./chunk-O2HJWNJA.js";

// src/backup/create.ts
import { randomBytes as randomBytes2 } from "node:crypto";

// src/backup/dump.ts
import { randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
var SNAPSHOT_ID = /^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$/;
var SNAPSHOT_WAIT_MS = 6e4;
var POLL_MS = 50;
async function dumpWithCounts(pg, clock, file, o) {
  const e = pg.endpoint;
  const snapshotFile = `/tmp/runbook-snapshot-${randomBytes(8).toString("hex")}`;
  const stdin = new PassThrough();
  stdin.write(snapshotSessionSql(snapshotFile));
  let sessionResult;
  const session = pg.exec(psqlCommand(e, e.database), { stdin }).then((r) => {
    sessionResult = r;
    return r;
  });
  let dump;
  let failure;
  try {
    const snapshot = await waitForSnapshot(pg, clock, snapshotFile, () => sessionResult);
    pg.log.debug(`dumping in snapshot ${snapshot}`);
    dump = await pg.exec(pgDumpCommand(e, file, { ...o, snapshot }));
  } catch (err) {
    failure = err;
  }
  stdin.end(dump?.code === 0 ? "COMMIT;\n" : "ROLLBACK;\n");
  const s = await session.catch((err) => err);
  await pg.exec(viaArgv(e, removeFilesArgv([snapshotFile])), { signal: void 0 }).catch(() => void 0);
  if (failure !== void 0) throw failure;
  if (s instanceof Error) throw s;
  if (dump === void 0 || dump.code !== 0) {
    throw new UserError(`pg_dump failed on ${pg.t.name} (${dump ? firstError(dump) : "not started"})`);
  }
  if (s.code !== 0) throw new UserError(`the snapshot session (psql) failed on ${pg.t.name} (${firstError(s)})`);
  return parseCounts(s.stdout);
}
async function waitForSnapshot(pg, clock, file, ended) {
  const deadline = clock.now().getTime() + SNAPSHOT_WAIT_MS;
  const cat = viaArgv(pg.endpoint, catArgv(file));
  for (; ; ) {
    const r = await pg.exec(cat);
    const id = r.stdout.trim();
    if (r.code === 0 && SNAPSHOT_ID.test(id)) return id;
    const session = ended();
    if (session !== void 0) {
      throw new UserError(`could not open a snapshot of the database on ${pg.t.name} (psql ${firstError(session)})`);
    }
    if (clock.now().getTime() > deadline) {
      throw new UserError(`the database did not export a snapshot within ${SNAPSHOT_WAIT_MS / 1e3}s on ${pg.t.name}`);
    }
    await clock.sleep(POLL_MS, pg.signal);
  }
}

// src/backup/create.ts
async function createBackup(d, plan) {
  const { pg, store, clock } = d;
  const t = store.t;
  const mkdir = await t.exec(mkdirArgv(store.dir), { quiet: true, timeoutMs: 6e4, signal: pg.signal });
  check(mkdir, `creating ${store.dir} on ${t.name}`);
  const { created, id, file } = await freeName(d, plan);
  const tmp = store.path(`.${file}.tmp-${randomBytes2(6).toString("hex")}`);
  let done = false;
  const removeTmp = async () => {
    if (done) return;
    done = true;
    await t.exec(removeFilesArgv([tmp]), { quiet: true, timeoutMs: 6e4 }).catch(() => void 0);
  };
  d.onCleanup?.(removeTmp);
  try {
    pg.log.info(`dumping ${pg.endpoint.database} on ${t.name} (${plan.format}${plan.gzip ? ", gzip" : ""})`);
    const dumped = await dumpWithCounts(pg, clock, tmp, { format: plan.format, gzip: plan.gzip });
    const sync = await t.exec(syncPathArgv(tmp), { quiet: true, signal: pg.signal });
    if (sync.code !== 0) throw new UserError(`fsync of the dump failed on ${t.name} (${firstError(sync)})`);
    const sha256 = await fileSha256(pg.t, tmp, pg.signal);
    const sizeOut = await t.exec(sizeArgv(tmp), { quiet: true, signal: pg.signal });
    const size = Number(sizeOut.stdout.trim());
    if (sizeOut.code !== 0 || !Number.isSafeInteger(size)) throw new UserError(`cannot read the size of ${tmp}`);
    const meta = {
      version: 1,
      id,
      app: store.app,
      environment: store.environment,
      database: pg.endpoint.database,
      file,
      size,
      sha256,
      format: plan.format,
      gzip: plan.gzip,
      serverVersion: dumped.serverVersion,
      created: created.toISOString(),
      ...plan.gitSha ? { gitSha: plan.gitSha } : {},
      rowCounts: dumped.counts,
      verified: false,
      verifyMethod: plan.verify
    };
    pg.log.info(`dumped ${formatBytes(size)}, sha256 ${sha256}; verifying (${plan.verify})`);
    const failure = await verifyDump(pg, tmp, meta, plan.verify);
    const verifiedAt = clock.now().toISOString();
    if (failure !== void 0) {
      await store.moveInto(tmp, `${file}.bad`);
      done = true;
      await store.save({ ...meta, file: `${file}.bad`, verifiedAt, error: failure }).catch((err) => {
        pg.log.warn(`could not record the failed verify in ${id}.json: ${err.message}`);
      });
      throw new UserError(`backup ${id} failed its verify (${plan.verify}): ${failure}; kept as ${file}.bad`);
    }
    const good = { ...meta, verified: true, verifiedAt };
    await store.save(good);
    try {
      await store.moveInto(tmp, file);
      done = true;
    } catch (err) {
      await t.exec(removeFilesArgv([store.metaPath(id)]), { quiet: true }).catch(() => void 0);
      throw err;
    }
    return { meta: good, path: store.path(file) };
  } finally {
    await removeTmp();
  }
}
async function freeName(d, plan) {
  for (let attempt = 0; ; attempt++) {
    const created = d.clock.now();
    const id = backupId(d.store.app, d.store.environment, created, plan.tag);
    const file = `${id}${dumpExtension(plan.format, plan.gzip)}`;
    if (!await d.store.exists(file) && !await d.store.exists(`${id}.json`)) return { created, id, file };
    if (attempt >= 2) throw new UserError(`a backup named ${id} already exists in ${d.store.dir}`);
    await d.clock.sleep(1e3 - created.getTime() % 1e3, d.pg.signal);
  }
}
function formatBytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`;
}

export {
  createBackup,
  formatBytes
};
