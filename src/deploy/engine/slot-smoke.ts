/**
 * A blue-green slot smoked on its own port before any traffic moves to it: the environment's smoke checks whose URL
 * is a path (`/health`, `/api/orders`), sent to `http://127.0.0.1:<port>` of each new replica through the target
 * (the connections open there, as health probes do). Checks with an absolute URL or a `${env.…}` header are left to
 * the smoke-test step after the switch (said in the log).
 */
import { envReferences, SMOKE_REQUEST_TIMEOUT_MS } from '../../config/schema-smoke.js';
import { systemElapsedMs } from '../../core/clock.js';
import { UserError } from '../../core/errors.js';
import { DEFAULT_MAX_BODY_BYTES, httpClient } from '../../http/client.js';
import { runChecks, type SmokeContext } from '../../smoke/run.js';
import { probeOf } from '../fleet/balancer.js';
import type { Replica, ServiceDeploy } from './replicas.js';

/**
 * Run the slot-local smoke checks against each of `slot`'s replicas (retried until the health deadline). Throws
 * UserError naming the replica and the failed checks; does nothing without smoke checks that can run there.
 */
export async function smokeSlot(d: ServiceDeploy, slot: readonly Replica[]): Promise<void> {
  const smoke = d.config.smoke;
  if (!smoke) return;
  const local = smoke.checks.filter(
    (c) => c.url.startsWith('/') && Object.values(c.headers ?? {}).every((v) => envReferences(v).length === 0),
  );
  const label = `${d.target.name}/${d.name}`;
  if (local.length < smoke.checks.length) {
    d.log.info(
      `${label}: ${smoke.checks.length - local.length} smoke check(s) need the public URL or a secret header; they run after the switch`,
    );
  }
  if (local.length === 0) return;
  const client = httpClient({ via: probeOf(d.target), keepAlive: false });
  try {
    for (const r of slot) {
      if (r.port === undefined) continue;
      const ctx: SmokeContext = {
        base: `http://127.0.0.1:${r.port}`,
        headersFor: (c) => ({ ...(c.headers ?? {}) }),
        clientFor: () => client,
        request: { timeoutMs: SMOKE_REQUEST_TIMEOUT_MS, maxBodyBytes: DEFAULT_MAX_BODY_BYTES, signal: d.signal },
        clock: d.clock,
        elapsedMs: systemElapsedMs,
        log: d.log,
      };
      const outcomes = await runChecks(
        ctx,
        { ...smoke, checks: local, sample: undefined },
        d.service.health?.deadline ?? 30_000,
      );
      const failed = outcomes.filter((o) => !o.passed);
      if (failed.length > 0) {
        throw new UserError(
          `${label}: ${r.name} (port ${r.port}) failed its smoke checks before any traffic moved: ${failed.map((f) => `${f.name}: ${f.problems.join('; ')}`).join(' | ')}`,
        );
      }
      d.log.info(`${label}: ${r.name} passed ${outcomes.length} smoke check(s) on its own port`);
    }
  } finally {
    await client.close();
  }
}
