import type { Logger } from './log-types.js';

/** A logger that passes everything to `log`, except the methods `over` gives (a tee, a per-host prefix). */
export function wrapLogger(log: Logger, over: Partial<Logger>): Logger {
  return {
    debug: (m) => log.debug(m),
    info: (m) => log.info(m),
    warn: (m) => log.warn(m),
    error: (m) => log.error(m),
    group: (name, fn) => log.group(name, fn),
    remote: (source, stream, text) => log.remote(source, stream, text),
    addSecret: (v) => log.addSecret(v),
    mask: (t) => log.mask(t),
    ...over,
  };
}
