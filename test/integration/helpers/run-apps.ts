/**
 * The apps this test run deployed, for the suite's teardown (global-teardown.ts), which removes only their
 * containers: every step and CLI run that names a config records the config's `app:` in the run's file.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/** The variable naming this run's apps file (set by the suite's global setup). */
export const RUN_APPS_ENV = 'RUNBOOK_TEST_RUN_APPS';

/** Record the `app:` of the config file at `config` (relative paths from `cwd`); silent when there is none. */
export function recordApp(config: string | undefined, cwd: string): void {
  const file = process.env[RUN_APPS_ENV];
  if (!file || !config) return;
  try {
    const text = readFileSync(isAbsolute(config) ? config : join(cwd, config), 'utf8');
    const app = /^app:\s*([a-z0-9][a-z0-9-]*)\s*$/m.exec(text)?.[1];
    if (app) appendFileSync(file, `${app}\n`);
  } catch {
    // No readable config: nothing of it can run either.
  }
}
