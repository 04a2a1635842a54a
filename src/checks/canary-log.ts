/**
 * pre-deploy-check of a canary's access log (strategy.canary.access-log): present, readable by the deploy user, and
 * written in the runbook_canary format the gates read (src/canary/access-log.ts).
 */
import { accessLogSize, parseAccessLine, parseAccessLog } from '../canary/access-log.js';
import { tailArgv } from '../commands/files.js';
import { ACCESS_LOG_FORMAT, ACCESS_LOG_FORMAT_NAME, accessLogDirective } from '../commands/nginx.js';
import { errorMessage } from '../core/errors.js';
import type { Transport } from '../transports/types.js';
import { failureText } from './host-run.js';
import { type CheckResult, fail, pass, warn } from './types.js';

/** Bytes of the log's end the pre-deploy check reads, and the lines of it that must be in the format. */
const CHECK_TAIL_BYTES = 16_384;
const CHECK_LINES = 50;
const CHECK = 'canary access log';

/** What to add to nginx, for every message that finds the format missing. */
function howToAdd(path: string): string {
  return `add \`${ACCESS_LOG_FORMAT}\` to nginx's http block and \`${accessLogDirective(path)}\` to the server that proxies to the upstream, then reload nginx`;
}

/**
 * pre-deploy-check for `strategy.canary.access-log`: the file exists, the deploy user can read it, and its last
 * lines are in the format. Empty: a warning (nothing proves the format yet). The newest line foreign: a failure
 * naming it; only older lines foreign (written before the format was set): a warning.
 */
export async function checkAccessLog(t: Transport, path: string): Promise<CheckResult> {
  try {
    const size = await accessLogSize(t, path);
    if (size === undefined) return fail(t.name, CHECK, `no access log at ${path}: ${howToAdd(path)}`);
    const r = await t.exec(tailArgv(path, CHECK_TAIL_BYTES), { quiet: true });
    if (r.code !== 0) {
      return fail(
        t.name,
        CHECK,
        `${path} is not readable by the deploy user (${failureText(r)}): let it read the log (e.g. the group nginx gives its logs, often adm)`,
      );
    }
    const lines = r.stdout.split('\n');
    if (size > CHECK_TAIL_BYTES) lines.shift(); // cut in the middle
    const last = lines.filter((l) => l.trim() !== '').slice(-CHECK_LINES);
    if (last.length === 0) {
      return warn(
        t.name,
        CHECK,
        `${path} is empty: nothing proves it is written as ${ACCESS_LOG_FORMAT_NAME} yet; make sure nginx has \`${ACCESS_LOG_FORMAT}\` and \`${accessLogDirective(path)}\``,
      );
    }
    const parsed = parseAccessLog(last.join('\n'));
    if (parsed.foreign === 0) {
      return pass(t.name, CHECK, `${path}: the last ${last.length} lines are in the ${ACCESS_LOG_FORMAT_NAME} format`);
    }
    const first = (parsed.firstForeign ?? '').slice(0, 200);
    const counted = `${parsed.foreign} of the last ${last.length} lines of ${path} are not in the ${ACCESS_LOG_FORMAT_NAME} format (first: ${first})`;
    if (parseAccessLine(last.at(-1) ?? '') === undefined) return fail(t.name, CHECK, `${counted}: ${howToAdd(path)}`);
    return warn(
      t.name,
      CHECK,
      `${counted}; the newest is in the format (older lines written before it was set are harmless)`,
    );
  } catch (err) {
    return fail(t.name, CHECK, errorMessage(err));
  }
}
