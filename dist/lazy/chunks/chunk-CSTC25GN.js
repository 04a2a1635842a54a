// src/commands/files.ts
var catArgv = (path) => ["cat", "--", path];
var catFilesArgv = (paths) => ["cat", "--", ...paths];
var existsArgv = (path) => ["test", "-e", path];
var writableArgv = (path) => ["test", "-w", path];
var overwriteSyncedArgv = (path) => [
  "dd",
  `of=${path}`,
  "conv=fsync,notrunc",
  "status=none"
];
var truncateArgv = (path, bytes) => ["truncate", "-s", String(bytes), "--", path];
var mkdirArgv = (dir) => ["mkdir", "-p", "--", dir];
var mkdirExclusiveArgv = (dir) => ["mkdir", "--", dir];
var removeTreeArgv = (path) => ["rm", "-rf", "--", path];
var removeFilesArgv = (files) => ["rm", "-f", "--", ...files];
var renameArgv = (from, to) => ["mv", "-f", "--", from, to];
var writeSyncedArgv = (tmp) => ["dd", `of=${tmp}`, "conv=fsync", "status=none"];
var syncPathArgv = (path) => ["sync", "--", path];
var listDirArgv = (dir) => ["ls", "-1", "-A", "--", dir];
var sha256Argv = (file) => ["sha256sum", "--", file];
var sizeArgv = (file) => ["stat", "-c", "%s", "--", file];
var tailArgv = (file, bytes) => ["tail", "-c", String(bytes), "--", file];
var tailFromArgv = (file, offset) => ["tail", "-c", `+${offset + 1}`, "--", file];
var gzipTestArgv = (file) => ["gzip", "-t", "--", file];

export {
  catArgv,
  catFilesArgv,
  existsArgv,
  writableArgv,
  overwriteSyncedArgv,
  truncateArgv,
  mkdirArgv,
  mkdirExclusiveArgv,
  removeTreeArgv,
  removeFilesArgv,
  renameArgv,
  writeSyncedArgv,
  syncPathArgv,
  listDirArgv,
  sha256Argv,
  sizeArgv,
  tailArgv,
  tailFromArgv,
  gzipTestArgv
};
