import {
  backupIdInput,
  commonInputs,
  lockWaitInput,
  registryInputs
} from "./chunk-AFSPUNXI.js";
import {
  zList,
  zOneOf,
  zPattern
} from "./chunk-EEFGFWLT.js";

// src/inputs/deploy.ts
var VERSION = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
var zServices = zList((s) => /^[a-z0-9][a-z0-9_-]{0,62}$/.test(s), "expected service names separated by commas");
var deployInputs = {
  ...commonInputs,
  version: {
    description: 'The image tag to deploy (letters, digits, "_", ".", "-"; at most 128 characters)',
    required: true,
    schema: zPattern(
      VERSION,
      'expected an image tag: letters, digits, "_", "." and "-", at most 128, not starting with "." or "-"'
    )
  },
  services: {
    description: "Deploy only these services (comma-separated); default: every service",
    schema: zServices
  },
  strategy: {
    description: "Override strategy.type for this run: recreate or rolling",
    schema: zOneOf(["recreate", "rolling"], "expected recreate or rolling")
  },
  "lock-wait": lockWaitInput,
  "backup-id": backupIdInput,
  ...registryInputs
};

export {
  VERSION,
  deployInputs
};
