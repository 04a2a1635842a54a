// src/core/stderr.ts
function errorLine(stderr) {
  const lines = stderr.trim().split("\n").map((l) => l.trim()).filter((l) => l !== "");
  return lines.findLast((l) => /\berror\b|\[emerg\]|\bfatal\b/i.test(l)) ?? lines.at(-1) ?? "";
}

// src/transports/exit-status.ts
function exitText(r) {
  if (r.signal) return `killed by ${r.signal.startsWith("SIG") ? r.signal : `SIG${r.signal}`}`;
  return r.code === -1 ? "ended without an exit status" : `exit ${r.code}`;
}
function failureText(r) {
  return errorLine(r.stderr).slice(0, 300) || errorLine(r.stdout).slice(0, 300) || exitText(r);
}

export {
  errorLine,
  exitText,
  failureText
};
