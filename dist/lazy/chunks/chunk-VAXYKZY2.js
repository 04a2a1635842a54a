import {
  errorLine,
  exitText
} from "./chunk-62JVSY2V.js";
import {
  TimeoutError
} from "./chunk-O2HJWNJA.js";

// src/init/probe.ts
function probeOver(t, o) {
  return async (argv, extra = {}) => {
    o.log.debug(`survey: ${JSON.stringify(argv)}`);
    try {
      return await t.exec(argv, { quiet: true, env: extra.env, timeoutMs: o.timeoutMs, signal: o.signal });
    } catch (err) {
      if (!(err instanceof TimeoutError)) throw err;
      return { code: -1, stdout: "", stderr: err.message };
    }
  };
}
var notInstalled = (r) => r.code === 127;
function failureText(r) {
  return errorLine(r.stderr).slice(0, 200) || errorLine(r.stdout).slice(0, 200) || exitText(r);
}

export {
  probeOver,
  notInstalled,
  failureText
};
