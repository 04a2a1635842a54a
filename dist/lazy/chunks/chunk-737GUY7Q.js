// src/commands/target-facts.ts
function dfArgv(paths) {
  return ["df", "-P", "-k", "--", ...paths];
}
function parseDf(stdout, paths) {
  const rows = stdout.split("\n").slice(1).map((l) => l.trim()).filter((l) => l !== "");
  return rows.map((row, i) => {
    const fields = row.split(/\s+/);
    const mount = fields.at(-1) ?? "";
    const [total, , available] = fields.slice(-5, -2).map((f) => Number(f));
    if (total === void 0 || available === void 0 || !Number.isFinite(total) || !Number.isFinite(available)) {
      throw new Error(`cannot read df output line: ${row}`);
    }
    return {
      path: paths[i] ?? mount,
      mount,
      totalBytes: total * 1024,
      availableBytes: available * 1024,
      freePercent: total === 0 ? 0 : available / total * 100
    };
  });
}
function composeVersionArgv(command) {
  return [...command, "version", "--short"];
}
var COMPOSE_CANDIDATES = [["docker", "compose"], ["docker-compose"]];

export {
  dfArgv,
  parseDf,
  composeVersionArgv,
  COMPOSE_CANDIDATES
};
