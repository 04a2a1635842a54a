/**
 * Errors a user can fix (bad input, bad config, unreachable target, failed check) are reported as one line with no
 * stack trace. Anything else is a bug and keeps its stack.
 */
export class UserError extends Error {
  override name = 'UserError';

  /**
   * `instanceof` by class name along the prototype chain, not by identity: an action's entry and the step it loads
   * are separate bundles, each with its own copy of this module, and an error crosses from one to the other (a
   * step's ConfigError reaches the entry's runner; the runner's CancelledError reaches a step as the abort reason).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    for (
      let p = value === null || typeof value !== 'object' ? null : Object.getPrototypeOf(value);
      p;
      p = Object.getPrototypeOf(p)
    ) {
      // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` asks about (a subclass too)
      if ((p as { constructor?: { name?: string } }).constructor?.name === this.name) return true;
    }
    return false;
  }
}

/** The config file or an input is invalid. */
export class ConfigError extends UserError {
  override name = 'ConfigError';
}

/** A target could not be reached, authenticated or verified. */
export class ConnectionError extends UserError {
  override name = 'ConnectionError';
}

/** An operation exceeded its deadline. */
export class TimeoutError extends UserError {
  override name = 'TimeoutError';
}

/** The run was cancelled (SIGINT/SIGTERM or an abort signal). */
export class CancelledError extends UserError {
  override name = 'CancelledError';
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
