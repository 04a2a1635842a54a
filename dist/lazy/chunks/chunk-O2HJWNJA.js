// src/core/errors.ts
var UserError = class extends Error {
  name = "UserError";
  /**
   * `instanceof` by class name along the prototype chain, not by identity: an action's entry and the step it loads
   * are separate bundles, each with its own copy of this module, and an error crosses from one to the other (a
   * step's ConfigError reaches the entry's runner; the runner's CancelledError reaches a step as the abort reason).
   */
  static [Symbol.hasInstance](value) {
    for (let p = value === null || typeof value !== "object" ? null : Object.getPrototypeOf(value); p; p = Object.getPrototypeOf(p)) {
      if (p.constructor?.name === this.name) return true;
    }
    return false;
  }
};
var ConfigError = class extends UserError {
  name = "ConfigError";
};
var ConnectionError = class extends UserError {
  name = "ConnectionError";
};
var TimeoutError = class extends UserError {
  name = "TimeoutError";
};
var CancelledError = class extends UserError {
  name = "CancelledError";
};
function isUserError(err) {
  return err instanceof UserError;
}
function errorMessage(err) {
  return err instanceof Error ? err.message : String(err);
}

export {
  UserError,
  ConfigError,
  ConnectionError,
  TimeoutError,
  CancelledError,
  isUserError,
  errorMessage
};
