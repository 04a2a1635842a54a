// src/rollback/scopes.ts
var ROLLBACK_SCOPES = ["image", "traffic", "migration", "database"];

export {
  ROLLBACK_SCOPES
};
