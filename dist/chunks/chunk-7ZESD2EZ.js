import {
  LOCK_STATE,
  leftLockToken
} from "./chunk-ZAXDUBHX.js";
import {
  parseInputs
} from "./chunk-EEFGFWLT.js";
import {
  systemClock
} from "./chunk-VA52T2SJ.js";
import {
  CancelledError,
  errorMessage,
  isUserError
} from "./chunk-NSFOPU7S.js";

// src/core/logger.ts
function escapeData(text) {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}
var FLUSH_AFTER_MS = 150;
var StreamLogger = class {
  constructor(opts) {
    this.opts = opts;
  }
  opts;
  /**
   * The stop-commands token, made on first use: the random generator (node's crypto) takes a few milliseconds to
   * load, which a step that never fences remote output should not pay at start-up.
   */
  stopToken;
  partial = /* @__PURE__ */ new Map();
  flushTimer;
  groupDepth = 0;
  debug(message) {
    if (this.opts.mode === "actions") this.command("debug", message);
    else if (this.opts.debug) this.plain(`debug: ${message}`);
  }
  info(message) {
    this.plain(message);
  }
  warn(message) {
    if (this.opts.mode === "actions") this.command("warning", message);
    else this.plain(`warning: ${message}`);
  }
  error(message) {
    if (this.opts.mode === "actions") this.command("error", message);
    else this.plain(`error: ${message}`);
  }
  /**
   * Run `fn` inside a log group and return its result (errors pass through). Actions mode: `::group::`/`::endgroup::`
   * at the top level; CLI mode (and nested groups): `▶ name` … `◀ name (1.2s)`, seconds measured by the clock.
   */
  async group(name, fn) {
    const nested = this.groupDepth > 0;
    const clock = this.opts.clock ?? systemClock;
    const started = clock.now().getTime();
    if (this.opts.mode === "actions" && !nested) this.opts.sink(`::group::${escapeData(this.opts.masker.mask(name))}`);
    else this.plain(`${"  ".repeat(this.groupDepth)}\u25B6 ${name}`);
    this.groupDepth++;
    try {
      return await fn();
    } finally {
      this.flushRemote();
      this.groupDepth--;
      const seconds = ((clock.now().getTime() - started) / 1e3).toFixed(1);
      if (this.opts.mode === "actions" && !nested) this.opts.sink("::endgroup::");
      else this.plain(`${"  ".repeat(this.groupDepth)}\u25C0 ${name} (${seconds}s)`);
    }
  }
  remote(source, stream, text) {
    const key = `${source}\0${stream}`;
    const buffered = (this.partial.get(key) ?? "") + text;
    const lines = buffered.split("\n");
    const rest = lines.pop() ?? "";
    if (rest === "") this.partial.delete(key);
    else this.partial.set(key, rest);
    if (lines.length > 0) this.emitRemote(source, stream, lines);
    if (this.partial.size > 0 && this.flushTimer === void 0) {
      this.flushTimer = setTimeout(() => this.flushRemote(), FLUSH_AFTER_MS);
      this.flushTimer.unref();
    }
  }
  /** Print any buffered partial lines of remote output. */
  flushRemote() {
    if (this.flushTimer !== void 0) clearTimeout(this.flushTimer);
    this.flushTimer = void 0;
    const entries = [...this.partial.entries()];
    this.partial.clear();
    for (const [key, rest] of entries) {
      const [source = "", stream = "stdout"] = key.split("\0");
      this.emitRemote(source, stream, [rest]);
    }
  }
  /** Mask a text without logging it (for messages handed to the runner, such as the failure line). */
  maskText(text) {
    return this.opts.masker.mask(text);
  }
  addSecret(value) {
    for (const form of this.opts.masker.add(value)) this.opts.onSecretForm?.(form);
  }
  emitRemote(source, stream, lines) {
    const marker = stream === "stderr" ? "!" : " ";
    const rendered = lines.map((l) => `[${source}]${marker} ${this.opts.masker.mask(l.replace(/\r$/, ""))}`);
    this.fenced(rendered);
  }
  /** Lines that are not ours to trust are fenced with stop-commands in Actions mode. */
  fenced(lines) {
    if (this.opts.mode !== "actions") {
      for (const l of lines) this.opts.sink(l);
      return;
    }
    this.stopToken ??= Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(16))).toString("hex");
    this.opts.sink(`::stop-commands::${this.stopToken}`);
    for (const l of lines) this.opts.sink(l);
    this.opts.sink(`::${this.stopToken}::`);
  }
  plain(message) {
    const lines = this.opts.masker.mask(message).split(/\r?\n/);
    if (this.opts.mode === "actions" && lines.some((l) => l.trimStart().startsWith("::"))) this.fenced(lines);
    else for (const l of lines) this.opts.sink(l);
  }
  command(name, message) {
    this.opts.sink(`::${name}::${escapeData(this.opts.masker.mask(message))}`);
  }
};

// src/core/masker.ts
var MASK = "***";
var MIN_FRAGMENT = 4;
function derivedForms(secret) {
  const forms = /* @__PURE__ */ new Set();
  const add = (v) => {
    if (v.length >= MIN_FRAGMENT) forms.add(v);
  };
  forms.add(secret);
  const values = [secret, ...secret.split(/\r?\n/).map((l) => l.trim())];
  for (const value of values) {
    if (value.length < MIN_FRAGMENT) continue;
    add(value);
    add(encodeURIComponent(value));
    add(encodeURI(value));
    const bytes = Buffer.from(value, "utf8");
    add(bytes.toString("base64"));
    add(bytes.toString("base64").replace(/=+$/, ""));
    add(bytes.toString("base64url"));
    for (const pad of [0, 1, 2]) {
      const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString("base64");
      const skip = [0, 2, 3][pad] ?? 0;
      const stable = Math.floor((pad + bytes.length) * 8 / 6);
      add(encoded.slice(skip, stable));
    }
  }
  return [...forms].sort((a, b) => b.length - a.length);
}
var Masker = class {
  forms = [];
  secrets = /* @__PURE__ */ new Set();
  add(secret) {
    if (secret === "" || this.secrets.has(secret)) return [];
    this.secrets.add(secret);
    const fresh = derivedForms(secret).filter((f) => !this.forms.includes(f));
    this.forms = [...this.forms, ...fresh].sort((a, b) => b.length - a.length);
    return fresh;
  }
  mask(text) {
    let out = text;
    for (const form of this.forms) {
      if (out.includes(form)) out = out.split(form).join(MASK);
    }
    return out;
  }
};

// src/core/runner-actions.ts
var { appendFileSync, writeSync } = process.getBuiltinModule("node:fs");
var { EOL } = process.getBuiltinModule("node:os");
var POST_STATE = "runbook-is-post";
var escapeData2 = (s) => s.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
var escapeProperty = (s) => escapeData2(s).replaceAll(":", "%3A").replaceAll(",", "%2C");
function fileCommandRecord(name, value) {
  if (/^[A-Za-z0-9_.-]+$/.test(name) && !/[\r\n]/.test(value)) return `${name}=${value}${EOL}`;
  const delimiter = `ghadelimiter_${globalThis.crypto.randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error("unexpected: a value holds its delimiter");
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}
function actionsRunner(env = process.env, out = (text) => writeSync(1, text)) {
  const write = (line) => {
    out(`${line}
`);
  };
  const command = (name, message, properties = {}) => {
    const props = Object.entries(properties).map(([k, v]) => `${k}=${escapeProperty(v)}`);
    write(`::${name}${props.length > 0 ? ` ${props.join(",")}` : ""}::${escapeData2(message)}`);
  };
  const fileCommand = (file, fallback, name, value) => {
    const path = env[file];
    if (path) appendFileSync(path, fileCommandRecord(name, value), "utf8");
    else command(fallback, value, { name });
  };
  const getState = (name) => env[`STATE_${name}`] ?? "";
  return {
    mode: "actions",
    debug: env.RUNNER_DEBUG === "1" || env.ACTIONS_STEP_DEBUG === "true",
    // As core.getInput: the runner's variable name for the input, trimmed.
    getInput: (name) => (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim(),
    setOutput: (name, value) => fileCommand("GITHUB_OUTPUT", "set-output", name, value),
    // As core.summary.addRaw(markdown, true).write(): appended, with a line end.
    appendSummary: async (markdown) => {
      if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${markdown}${EOL}`, "utf8");
    },
    saveState: (name, value) => fileCommand("GITHUB_STATE", "save-state", name, value),
    getState,
    isPost: () => getState(POST_STATE) === "true",
    beginMain: () => fileCommand("GITHUB_STATE", "save-state", POST_STATE, "true"),
    setFailed: (message) => {
      process.exitCode = 1;
      command("error", message);
    },
    registerSecret: (value) => command("add-mask", value),
    write,
    env
  };
}

// src/core/run-action.ts
async function runAction(main, post, opts = {}) {
  const runner = opts.runner ?? actionsRunner();
  const signals = opts.signals ?? process;
  const masker = new Masker();
  const log = new StreamLogger({
    sink: (line) => runner.write(line),
    masker,
    mode: runner.mode,
    debug: runner.debug,
    onSecretForm: runner.mode === "actions" ? (form) => runner.registerSecret(form) : void 0,
    clock: opts.clock ?? systemClock
  });
  const controller = new AbortController();
  const cleanups = [];
  const runCleanup = async () => {
    while (cleanups.length > 0) {
      const fn = cleanups.pop();
      try {
        await fn?.();
      } catch (err) {
        log.warn(`cleanup failed: ${errorMessage(err)}`);
      }
    }
  };
  const onSignal = (name) => {
    if (!controller.signal.aborted) {
      log.warn(`${name} received: cancelling and cleaning up`);
      controller.abort(new CancelledError(`cancelled by ${name}`));
    } else {
      log.warn(`${name} received again: closing every connection now`);
      void runCleanup();
    }
  };
  const onInt = () => onSignal("SIGINT");
  const onTerm = () => onSignal("SIGTERM");
  signals.on("SIGINT", onInt);
  signals.on("SIGTERM", onTerm);
  const ctx = {
    runner,
    log,
    clock: opts.clock ?? systemClock,
    signal: controller.signal,
    onCleanup: (fn) => {
      cleanups.push(fn);
    }
  };
  const phase = async (fn, isPost) => {
    try {
      await fn(ctx);
      return true;
    } catch (err) {
      const message = log.maskText(failureMessage(err));
      if (!isUserError(err) && err instanceof Error && err.stack) {
        (runner.debug ? log.info.bind(log) : log.debug.bind(log))(err.stack);
      }
      if (isPost) log.warn(`post step: ${message}`);
      else runner.setFailed(message);
      return false;
    } finally {
      await runCleanup();
      log.flushRemote();
    }
  };
  try {
    if (runner.isPost()) return post ? await phase(post, true) : true;
    runner.beginMain();
    const ok = await phase(main, false);
    if (runner.mode === "cli" && post) await phase(post, true);
    return ok;
  } finally {
    signals.off("SIGINT", onInt);
    signals.off("SIGTERM", onTerm);
  }
}
function failureMessage(err) {
  if (isUserError(err)) return err.message;
  const message = errorMessage(err);
  return `internal error: ${message} (re-run with step debug logging for the stack trace)`;
}

// src/actions/module.ts
function defineAction(m) {
  return m;
}
function prepareRun(ctx, mod, opts = {}) {
  const inputs = parseInputs(ctx.runner, ctx.log, mod.inputs);
  let opened = opts.session && Promise.resolve(opts.session);
  const open = async () => {
    const common = inputs;
    const [{ EnvironmentSession }, { liveConnector }] = await Promise.all([
      import("./session-IG27DWA5.js"),
      import("./connector-JRQ6D2OX.js")
    ]);
    const connector = opts.connector ?? liveConnector(
      {
        privateKey: common["ssh-private-key"],
        passphrase: common["ssh-private-key-passphrase"],
        knownHosts: common["ssh-known-hosts"],
        insecureIgnoreHostKey: common["ssh-insecure-ignore-host-key"]
      },
      ctx.log,
      ctx.signal,
      ctx.clock,
      ctx.runner.env
    );
    const session = await EnvironmentSession.open(ctx, common, connector);
    ctx.onCleanup(() => session.close());
    return session;
  };
  return {
    ...ctx,
    inputs,
    session: () => {
      opened ??= open();
      return opened;
    }
  };
}
async function releaseLeftLock(run) {
  const token = leftLockToken(run);
  if (!token) return;
  const session = await run.session();
  if (await (await session.deployLock()).release(token)) run.runner.saveState(LOCK_STATE, "");
}
function runModule(mod, opts = {}) {
  return runAction(
    (ctx) => mod.main(prepareRun(ctx, mod, opts)),
    mod.locks ? (ctx) => releaseLeftLock(prepareRun(ctx, mod, opts)) : void 0,
    opts
  );
}

export {
  defineAction,
  prepareRun,
  runModule
};
