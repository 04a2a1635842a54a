import {
  defineAction
} from "./chunk-7ZESD2EZ.js";
import {
  commonInputs
} from "./chunk-AFSPUNXI.js";
import {
  url,
  zDurationInput,
  zText
} from "./chunk-EEFGFWLT.js";

// src/inputs/smoke.ts
var smokeInputs = {
  ...commonInputs,
  url: {
    description: "Base URL for relative check URLs (default: the environment url from the config)",
    schema: url({ protocol: /^https?$/, error: "expected an http(s) URL" })
  },
  wait: {
    description: "Retry failing checks for this long before giving up (default: smoke.wait, else 0s)",
    schema: zDurationInput
  },
  checks: {
    description: `Checks as YAML, the shape of smoke.checks (e.g. "- { name: ready, url: /health, expect: { json: { status: ok } } }"); replaces the config's checks`,
    schema: zText(() => true, "expected YAML text")
  }
};

// src/actions/declare/smoke-test.ts
var smokeTestAction = defineAction({
  name: "smoke-test",
  summary: "Check the live release: HTTP checks with JSON assertions, retried until smoke.wait; a latency sample",
  inputs: smokeInputs,
  main: async (run) => (await import("./smoke-test-G5FGZA5A.js")).runSmokeTest(run)
});

export {
  smokeTestAction
};
