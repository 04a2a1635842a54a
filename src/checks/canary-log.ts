/**
 * pre-deploy-check of a canary's access log (strategy.canary.access-log): present, readable by the deploy user, and
 * written in the runbook_canary format the gates read (src/canary/access-log.ts inspects it).
 */
import { inspectAccessLog } from '../canary/access-log.js';
import type { Transport } from '../transports/types.js';
import { type CheckResult, fail, pass, warn } from './types.js';

const CHECK = 'canary access log';

/** The access log at `path` on `t` as a check result (see inspectAccessLog). */
export async function checkAccessLog(t: Transport, path: string): Promise<CheckResult> {
  const f = await inspectAccessLog(t, path);
  const make = f.status === 'pass' ? pass : f.status === 'warn' ? warn : fail;
  return make(t.name, CHECK, f.detail);
}
