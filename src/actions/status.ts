import { findDrift } from '../deploy/drift.js';
import { standbyExpired } from '../deploy/engine/standby.js';
import { envChangeText } from '../deploy/env-overrides.js';
import { maintenanceOn } from '../deploy/journal.js';
import { describeLease } from '../deploy/lock.js';
import { driverOf } from '../deploy/strategy.js';
import type { ParsedInputs } from '../inputs/spec.js';
import type { statusInputs, unlockInputs } from '../inputs/status.js';
import type { ActionRun } from './module.js';

/**
 * `runbook status`: the deploy lock (who holds it, whether it expired), the journal's recent releases, and drift: what
 * runs (containers, their images, the upstream's servers) compared with the live release.
 */
export async function runStatus(ctx: ActionRun<ParsedInputs<typeof statusInputs>>): Promise<void> {
  const session = await ctx.session();
  const { label } = session;
  const lock = await session.deployLock();
  const journal = await session.journal();
  const lease = await lock.read();
  const now = ctx.clock.now();
  if (!lease) ctx.log.info(`lock: free (${label})`);
  else {
    const expired = new Date(lease.expiresAt) <= now;
    ctx.log.info(`lock: HELD by ${describeLease(lease)}${expired ? ' — EXPIRED: the next deploy takes it over' : ''}`);
    ctx.log.info(
      '  if that run was killed (its post step never ran), free it with: runbook unlock --env <env> --reason "…"',
    );
  }
  const j = await journal.read();
  const m = maintenanceOn(j);
  if (m)
    ctx.log.info(
      `maintenance: ON since ${m.since} by ${m.actor ?? '?'}${m.reason ? ` (${m.reason})` : ''}: traffic goes to ${m.address} until "runbook maintenance off"`,
    );
  ctx.log.info(`releases (${j.releases.length}, newest last):`);
  for (const r of j.releases.slice(-10)) {
    const took = r.finishedAt ? ` in ${((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000).toFixed(0)}s` : '';
    const how =
      r.origin === 'adopted'
        ? 'what served before the first deploy took the site over'
        : `${r.strategy} by ${r.actor ?? '?'}${took}`;
    ctx.log.info(
      `  ${r.id.padEnd(28)} ${r.version.padEnd(12)} ${r.status.padEnd(11)} ${how}${r.error ? ` — ${r.error}` : ''}`,
    );
    if (r.canary && (r.canary.state === 'paused' || r.canary.state === 'running')) {
      ctx.log.info(
        `      canary at ${r.canary.weight}% (step ${r.canary.step + 1}), ${r.canary.state}: runbook promote goes on, runbook abort takes it out`,
      );
    }
    if (r.envChanges?.length) ctx.log.info(`      env changed: ${r.envChanges.map(envChangeText).join('; ')}`);
    if (r.env) {
      const values = Object.entries(r.env).flatMap(([svc, vs]) =>
        Object.entries(vs).map(([n, v]) => `${svc}.${n}=${v}`),
      );
      ctx.log.info(`      env in force (the env input, until env-reset): ${values.join(', ')}`);
    }
    if (r.hosts) {
      // A fleet release: where each host stood when it ended (a failed rollout names what each runs).
      const hosts = Object.entries(r.hosts).map(([h, o]) => `${h} ${o.state}${o.error ? ` (${o.error})` : ''}`);
      ctx.log.info(`      hosts: ${hosts.join('; ')}`);
    }
    if (r.standby && r.status === 'live') {
      const expired = standbyExpired(r, now) ? ' — expired: the next deploy stops it' : '';
      ctx.log.info(`      standby: ${r.standby.release} until ${r.standby.until}${expired}`);
    }
    const rb = r.rollback;
    if (rb) {
      const state = rb.finishedAt ? 'rolled back' : rb.error ? `rollback FAILED (${rb.error})` : 'rollback unfinished';
      ctx.log.info(
        `      ${state} to ${rb.to} (${rb.scope.join(', ')}) by ${rb.actor ?? '?'} at ${rb.startedAt}${rb.reason ? `: ${rb.reason}` : ''}${rb.revision !== undefined ? `; schema ${rb.revision || '(none)'}` : ''}`,
      );
    }
  }
  for (const m of (j.migrations ?? []).slice(-5)) {
    ctx.log.info(
      `  migration ${m.id}  ${m.tool} ${m.revisionBefore || '(none)'} → ${m.revisionAfter ?? '?'}  ${m.status}${m.error ? ` — ${m.error}` : ''}`,
    );
  }
  // What runs against what the journal says is live: every difference, before a deploy changes anything.
  const drift = await findDrift({
    config: session.config,
    environmentName: session.environmentName,
    journal: j,
    targets: await session.deployTargets(driverOf(session.config), session.config.strategy.type),
    clock: ctx.clock,
    log: ctx.log,
  });
  const differences = drift.filter((d) => d.kind === 'drift');
  ctx.log.info(
    differences.length === 0
      ? 'drift: none (what runs is what the journal says is live)'
      : `drift (${differences.length}):`,
  );
  for (const d of drift)
    ctx.log.info(`  ${d.kind === 'drift' ? 'DRIFT' : 'note'}  ${d.target}/${d.service}: ${d.detail}`);
  ctx.runner.setOutput('drift', JSON.stringify(drift));
  ctx.runner.setOutput('lock', lease ? JSON.stringify({ ...lease, token: undefined }) : '');
  ctx.runner.setOutput('journal', JSON.stringify(j));
}

/** `runbook unlock --reason …`: remove the deploy lock, whoever holds it. */
export async function runUnlock(ctx: ActionRun<ParsedInputs<typeof unlockInputs>>): Promise<void> {
  const { inputs } = ctx;
  const session = await ctx.session();
  const { label } = session;
  const lock = await session.deployLock();
  const removed = await lock.forceRelease();
  if (removed)
    ctx.log.warn(`removed the deploy lock of ${label} held by ${describeLease(removed)}; reason: ${inputs.reason}`);
  else ctx.log.info(`the deploy lock of ${label} was free; nothing to do`);
}
