import {
  catArgv,
  existsArgv,
  mkdirArgv,
  overwriteSyncedArgv,
  removeTreeArgv,
  renameArgv,
  syncPathArgv,
  truncateArgv,
  writableArgv,
  writeSyncedArgv
} from "./chunk-CSTC25GN.js";
import {
  exitText
} from "./chunk-62JVSY2V.js";
import {
  UserError
} from "./chunk-O2HJWNJA.js";

// src/transports/files.ts
import { randomBytes } from "node:crypto";
import { dirname } from "node:path/posix";
var QUIET = { quiet: true, timeoutMs: 3e4 };
function check(r, what) {
  if (r.code !== 0) throw new UserError(`${what} failed (${exitText(r)}): ${r.stderr.trim().split("\n")[0] ?? ""}`);
  return r;
}
async function readText(t, path) {
  const r = await t.exec(catArgv(path), QUIET);
  if (r.code === 0) return r.stdout;
  if (/No such file/i.test(r.stderr)) return void 0;
  throw new UserError(`cannot read ${path} on ${t.name}: ${r.stderr.trim()}`);
}
async function writeAtomic(t, path, content) {
  const dir = dirname(path);
  check(await t.exec(mkdirArgv(dir), QUIET), `mkdir ${dir} on ${t.name}`);
  const tmp = `${path}.tmp-${randomBytes(6).toString("hex")}`;
  try {
    check(await t.exec(writeSyncedArgv(tmp), { ...QUIET, stdin: content }), `writing ${tmp} on ${t.name}`);
    check(await t.exec(renameArgv(tmp, path), QUIET), `renaming ${tmp} on ${t.name}`);
  } catch (err) {
    await t.exec(removeTreeArgv(tmp), QUIET).catch(() => void 0);
    throw err;
  }
  await t.exec(syncPathArgv(dir), QUIET).catch(() => void 0);
}
async function configFileAccess(t, path) {
  const dir = dirname(path);
  if ((await t.exec(writableArgv(dir), QUIET)).code === 0) return "atomic";
  if ((await t.exec(writableArgv(path), QUIET)).code === 0) return "in place";
  if ((await t.exec(existsArgv(dir), QUIET)).code !== 0) return "atomic";
  return void 0;
}
function notWritable(t, path) {
  return new UserError(
    `${t.name}: cannot write ${path}: neither the file nor its directory ${dirname(path)} is writable by the deploy user (give that user the file: chown <ssh user> ${path}, or make the directory writable)`
  );
}
async function writeConfigFile(t, path, content) {
  const access = await configFileAccess(t, path);
  if (access === void 0) throw notWritable(t, path);
  if (access === "atomic") {
    await writeAtomic(t, path, content);
    return;
  }
  check(await t.exec(overwriteSyncedArgv(path), { ...QUIET, stdin: content }), `writing ${path} on ${t.name}`);
  check(await t.exec(truncateArgv(path, Buffer.byteLength(content)), QUIET), `truncating ${path} on ${t.name}`);
}

export {
  check,
  readText,
  writeAtomic,
  configFileAccess,
  notWritable,
  writeConfigFile
};
