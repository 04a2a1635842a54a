// src/backup/id.ts
var BACKUP_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,200}$/;

export {
  BACKUP_ID
};
