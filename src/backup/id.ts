/** Backup ids and file names are plain names: no path separator, no leading "-" or "." (`shop-production-…`). */
export const BACKUP_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,200}$/;
