import {
  CancelledError,
  TimeoutError
} from "./chunk-O2HJWNJA.js";

// src/transports/command.ts
import { StringDecoder } from "node:string_decoder";
var CommandOutput = class {
  constructor(logger, source, quiet) {
    this.logger = logger;
    this.source = source;
    this.quiet = quiet;
  }
  logger;
  source;
  quiet;
  decoders = { stdout: new StringDecoder("utf8"), stderr: new StringDecoder("utf8") };
  text = { stdout: "", stderr: "" };
  push(stream, chunk) {
    this.emit(stream, typeof chunk === "string" ? chunk : this.decoders[stream].write(chunk));
  }
  /** Flush incomplete multibyte sequences and return everything collected. */
  finish() {
    this.emit("stdout", this.decoders.stdout.end());
    this.emit("stderr", this.decoders.stderr.end());
    return { ...this.text };
  }
  emit(stream, text) {
    if (text === "") return;
    this.text[stream] += text;
    if (!this.quiet) this.logger.remote(this.source, stream, text);
  }
};
function formatDuration(ms) {
  if (ms < 1e3) return `${ms}ms`;
  return `${Number((ms / 1e3).toFixed(1))}s`;
}
function watchCommand(program, opts, kill, fail) {
  let done = false;
  const stop = (err) => {
    if (done) return;
    disarm();
    try {
      kill();
    } finally {
      fail(err);
    }
  };
  const onAbort = () => stop(new CancelledError(`\`${program}\` was cancelled and killed`));
  const timer = opts.timeoutMs === void 0 ? void 0 : setTimeout(
    () => stop(
      new TimeoutError(
        `\`${program}\` did not finish within ${formatDuration(opts.timeoutMs ?? 0)} (timeout) and was killed`
      )
    ),
    opts.timeoutMs
  );
  const disarm = () => {
    done = true;
    if (timer) clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onAbort);
  };
  if (opts.signal?.aborted) queueMicrotask(onAbort);
  else opts.signal?.addEventListener("abort", onAbort, { once: true });
  return disarm;
}
function feedStdin(sink, stdin) {
  if (stdin === void 0) sink.end();
  else if (typeof stdin === "string" || Buffer.isBuffer(stdin)) sink.end(stdin);
  else stdin.pipe(sink);
}

export {
  CommandOutput,
  formatDuration,
  watchCommand,
  feedStdin
};
