// src/core/stderr.ts
function errorLine(stderr) {
  const lines = stderr.trim().split("\n").map((l) => l.trim()).filter((l) => l !== "");
  return lines.findLast((l) => /\berror\b|\[emerg\]|\bfatal\b/i.test(l)) ?? lines.at(-1) ?? "";
}

export {
  errorLine
};
