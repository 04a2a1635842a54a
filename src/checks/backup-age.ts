import { BackupStore } from '../backup/store.js';
import { formatDuration } from '../config/units.js';
import { errorMessage } from '../core/errors.js';
import type { Transport } from '../transports/types.js';
import { type CheckResult, fail, pass } from './types.js';

/** `checks.backup-max-age`: the newest verified backup on the primary target must be younger than this. */
export async function checkBackupAge(
  t: Transport,
  o: { directory: string; app: string; environment: string; maxAgeMs: number; now: Date },
): Promise<CheckResult> {
  const check = 'backup age';
  try {
    const { backups } = await new BackupStore(t, o.directory, o.app, o.environment).list();
    const newest = backups
      .filter((b) => b.verified)
      .sort((a, b) => a.created.localeCompare(b.created))
      .at(-1);
    const limit = formatDuration(o.maxAgeMs);
    if (!newest) return fail(t.name, check, `no verified backup in ${o.directory} (backup-max-age ${limit})`);
    const age = o.now.getTime() - Date.parse(newest.created);
    const detail = `newest verified backup ${newest.id} is ${formatDuration(Math.max(0, age))} old (max ${limit})`;
    return age <= o.maxAgeMs ? pass(t.name, check, detail) : fail(t.name, check, detail);
  } catch (err) {
    return fail(t.name, check, `cannot list the backups in ${o.directory}: ${errorMessage(err)}`);
  }
}
