import {
  ConfigError
} from "./chunk-O2HJWNJA.js";

// src/transports/secret-env.ts
import { Readable } from "node:stream";
var ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
var SECRET_ENV_PRELUDE = 'while IFS= read -r __runbook_env; do [ -z "$__runbook_env" ] && break; export "$__runbook_env"; done; exec "$@"';
function secretEnvProblem(value) {
  if (value.includes("\0")) return "contains a NUL byte, which no environment variable can hold";
  if (/\r?\n$/.test(value)) {
    return "ends in a line break (usually saved with the secret by mistake): store the secret without it";
  }
  if (value.includes("\n")) return "contains a line break, which cannot be passed to a remote command";
  return void 0;
}
function withSecretEnv(argv, secretEnv, stdin) {
  const lines = Object.entries(secretEnv).map(([name, value]) => {
    if (!ENV_NAME.test(name)) throw new Error(`invalid environment variable name: ${JSON.stringify(name)}`);
    const problem = secretEnvProblem(value);
    if (problem) throw new ConfigError(`the secret passed as ${name} ${problem}`);
    return `${name}=${value}
`;
  });
  const head = Buffer.from(`${lines.join("")}
`);
  const body = stdin;
  const stream = Readable.from(
    (async function* () {
      yield head;
      if (body === void 0) return;
      if (typeof body === "string" || Buffer.isBuffer(body)) yield Buffer.from(body);
      else for await (const chunk of body) yield chunk;
    })()
  );
  return { argv: ["sh", "-c", SECRET_ENV_PRELUDE, "sh", ...argv], stdin: stream };
}

export {
  secretEnvProblem,
  withSecretEnv
};
