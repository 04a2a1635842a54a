// src/transports/exit-status.ts
function exitText(r) {
  if (r.signal) return `killed by ${r.signal.startsWith("SIG") ? r.signal : `SIG${r.signal}`}`;
  return r.code === -1 ? "ended without an exit status" : `exit ${r.code}`;
}

export {
  exitText
};
