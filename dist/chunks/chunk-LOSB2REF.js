import {
  defineAction
} from "./chunk-VXBCIWLC.js";
import {
  commonInputs
} from "./chunk-43ODFOUM.js";
import {
  url,
  zDurationInput,
  zText
} from "./chunk-ZU4VYLSK.js";

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
  main: async (run) => (await import("./smoke-test-G6AP2FS5.js")).runSmokeTest(run)
});

export {
  smokeTestAction
};
