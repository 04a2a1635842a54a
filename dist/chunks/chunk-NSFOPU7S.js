// src/core/errors.ts
var UserError = class extends Error {
  name = "UserError";
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
