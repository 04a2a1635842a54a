// src/core/quote.ts
var SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;
var ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
function quoteArg(arg) {
  if (arg.includes("\0")) {
    throw new Error("an argument contains a NUL byte, which no POSIX command line can carry");
  }
  if (arg !== "" && SAFE.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}
function toRemoteCommand(argv, opts = {}) {
  const [program] = argv;
  if (program === void 0 || program === "") throw new Error("cannot run an empty command");
  if (program.startsWith("-")) throw new Error(`refusing to run a program whose name starts with "-": ${program}`);
  if (program.includes("=")) throw new Error(`refusing to run a program whose name contains "=": ${program}`);
  const parts = [];
  if (opts.cwd !== void 0) parts.push("cd", "--", quoteArg(opts.cwd), "&&");
  parts.push("exec");
  const env = Object.entries(opts.env ?? {});
  if (env.length > 0) {
    parts.push("env");
    for (const [name, value] of env) {
      if (!ENV_NAME.test(name)) throw new Error(`invalid environment variable name: ${JSON.stringify(name)}`);
      parts.push(quoteArg(`${name}=${value}`));
    }
  }
  for (const arg of argv) parts.push(quoteArg(arg));
  return parts.join(" ");
}

export {
  quoteArg,
  toRemoteCommand
};
