/**
 * Errors a user can fix (bad input, bad config, unreachable target, failed check) are reported as one line with no
 * stack trace. Anything else is a bug and keeps its stack.
 */
export class UserError extends Error {
  override name = 'UserError';
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
