import { restoreBackup } from '../backup/restore.js';
import type { Config } from '../config/schema.js';
import { errorMessage, UserError } from '../core/errors.js';
import { toRemoteCommand } from '../core/quote.js';
import { abortCanary } from '../deploy/canary/run.js';
import { secretValues } from '../deploy/engine/env.js';
import {
  beginRollback,
  finishRollback,
  type Journal,
  liveRelease,
  maintenanceOn,
  openCanary,
  type Release,
  type ReleaseReplica,
  type SwarmServiceRecord,
  sweepInterrupted,
} from '../deploy/journal.js';
import { recordRollback } from '../github/release-deployment.js';
import { registryAuthOf } from '../inputs/common.js';
import type { rollbackInputs } from '../inputs/rollback.js';
import type { ParsedInputs } from '../inputs/spec.js';
import { openMigration } from '../migrate/open.js';
import { downgradeTo, noDowngrade, planDowngrade } from '../rollback/migration.js';
import { checkScope, chooseRollback, migrationsSince, revisionToRestore } from '../rollback/plan.js';
import { restoreRelease } from '../rollback/release.js';
import { rollbackSummary } from '../rollback/report.js';
import { backupSiteOf, migrationSiteOf } from '../session/sites.js';
import { checkSmokeSecrets, runSmokeSuite, smokeSummary } from '../smoke/suite.js';
import type { ActionRun } from './module.js';
import { notifyRun } from './notify-run.js';
import { reportIncident } from './pipeline-github.js';
import { resumeCanary } from './promote.js';
import { viaTargets, viaTransport } from './smoke-test.js';

/** The version whose code knows the migrations to undo: the newest release started after `to`. */
function codeVersion(j: Journal, to: Release): string {
  return j.releases.filter((r) => r.startedAt > to.startedAt).at(-1)?.version ?? to.version;
}

/**
 * rollback: restore a recorded release from the journal (default: the one live before the live one). Scopes:
 * image (containers, upstream), traffic (upstream only), migration (down to the revision before), database (the
 * pre-deploy backup, after a safety backup; only with restore-database). Then smoke checks; outputs the release.
 */
export async function runRollback(ctx: ActionRun<ParsedInputs<typeof rollbackInputs>>): Promise<void> {
  const { log, runner, clock, inputs } = ctx;
  const scope = checkScope(inputs.scope, inputs['restore-database']);
  const session = await ctx.session();
  const { config, environmentName, environment } = session;
  const smoke = inputs.smoke ? config.smoke : undefined;
  if (smoke) checkSmokeSecrets(ctx, smoke);
  const vias = smoke ? viaTargets(smoke, environment, environmentName) : undefined;
  const started = clock.now().getTime();
  const elapsed = () => `${((clock.now().getTime() - started) / 1000).toFixed(1)}s`;

  if (!inputs['dry-run']) await session.lock(ctx, inputs['lock-wait']);
  const journal = await session.journal();
  const { who } = session;
  let j = await journal.read();
  // A canary serving its share beside the live release is taken out first: the rollback moves from the live one.
  const canary = openCanary(j);
  if (canary && inputs['dry-run']) {
    log.info(`would first abort canary ${canary.id} (${canary.version}) at ${canary.canary?.weight}%`);
  } else if (canary) {
    const why = `rollback by ${who.actor}${inputs.reason ? `: ${inputs.reason}` : ''}`;
    await abortCanary(await resumeCanary(ctx, canary, journal), why);
    j = await journal.read();
  }
  // Without a release-id the open canary was the deploy to undo: the live release is re-checked, not rolled back too.
  const { to, from, resumed } = chooseRollback(
    j,
    inputs['release-id'] ?? (canary && !inputs['dry-run'] ? liveRelease(j)?.id : undefined),
  );
  const maintenance = maintenanceOn(j);
  if (maintenance)
    log.info(
      `maintenance is on (since ${maintenance.since}): traffic stays on the maintenance page; the smoke checks wait for "maintenance off"`,
    );
  const records = scope.includes('migration') || scope.includes('database') ? migrationsSince(j, to) : [];
  const revision = revisionToRestore(records);
  const backupId = records[0]?.backupId ?? from?.backupId;
  log.info(
    `rollback of ${config.app}/${environmentName}: ${from ? `${from.id} (${from.version})` : 'the live release'} → ${to.id} (${to.version}); scope ${scope.join(', ')}${canary && !inputs['release-id'] ? ` (the canary ${canary.version} was the deploy undone; the live release is re-checked)` : resumed ? ' (resuming or re-checking a recorded rollback)' : ''}`,
  );
  const opened =
    scope.includes('migration') && records.length > 0
      ? await openMigration(await migrationSiteOf(session, ctx), codeVersion(j, to))
      : undefined;
  if (opened && !opened.tool.downgrade) throw new UserError(noDowngrade(opened.m.tool));
  if (scope.includes('database') && !backupId) {
    throw new UserError(`no pre-deploy backup is recorded since ${to.id} went live (the migrate step's backup-id)`);
  }
  if (scope.includes('migration') && records.length === 0) log.info(`no migration since ${to.id} went live`);

  if (inputs['dry-run']) {
    log.info(`would restore ${to.id} (${to.version}) on ${environment.targets.map((t) => t.name).join(', ')}`);
    for (const [name, s] of Object.entries(to.services)) {
      if (to.origin === 'adopted') {
        const back = (s.servers ?? []).map((x) => `${x.target}:${x.address}`).join(', ');
        const then = scope.includes('image')
          ? `, then stop ${from ? `the replicas of ${from.version}` : 'ours'} (kept)`
          : '';
        log.info(`  ${name}: the site as taken over: ${back} back into the upstream once healthy${then}`);
      } else {
        const env = Object.entries(to.env?.[name] ?? {}).map(([n, v]) => `${n}=${v}`);
        log.info(
          `  ${name}: ${s.image} ${s.imageId?.slice(0, 19) ?? ''} × ${s.replicas.length}${env.length > 0 ? `, env values ${env.join(', ')}` : ''}`,
        );
      }
    }
    const plan = opened && revision !== undefined ? await planDowngrade(ctx, opened, revision, records) : undefined;
    if (opened && plan && !plan.argv) log.info(`the schema is already at ${revision || '(none)'}`);
    if (opened && plan?.argv) {
      const { argv, cwd } = opened.inv.argvFor(plan.argv);
      log.info(`the schema is at ${plan.before || '(unknown)'}`);
      log.info(`would downgrade the schema to ${revision || '(none)'} (${opened.inv.describe}):`);
      log.info(`$ ${toRemoteCommand(argv, { cwd, env: opened.te.env })}`);
    }
    if (scope.includes('database')) log.info(`would restore backup ${backupId} after a safety backup`);
    return;
  }

  await journal.update((jj) => {
    sweepInterrupted(jj);
    beginRollback(jj, from?.id, {
      to: to.id,
      scope,
      reason: inputs.reason,
      actor: who.actor,
      runUrl: who.runUrl,
      startedAt: clock.now().toISOString(),
    });
  });

  const outcome: Outcome = {};
  try {
    if (scope.includes('image') || scope.includes('traffic')) {
      const targets = await session.deployTargets(to.driver, to.strategy);
      const restored = await restoreRelease(
        // During maintenance the release comes back out of traffic: `maintenance off` points the upstream at it.
        { targets, clock, log, signal: ctx.signal, maintenance: maintenance !== undefined },
        {
          session,
          to,
          from,
          mode: scope.includes('image') ? 'image' : 'traffic',
          registryAuth: registryAuthOf(inputs),
          // Only new containers need them (kept ones have theirs): a missing one fails there, naming it.
          secrets: secretValues(
            Object.keys(to.services).flatMap((n) => config.services?.[n] ?? []),
            runner.env,
            log,
          ).values,
        },
      );
      outcome.replicas = restored.replicas;
      outcome.swarm = restored.swarm;
      log.info(`[${elapsed()}] ${to.version} is serving`);
    }
    if (opened && revision !== undefined) {
      const r = await downgradeTo(ctx, opened, revision, records);
      outcome.revision = r.after;
      log.info(`[${elapsed()}] schema at ${r.after || '(none)'}`);
    }
    if (scope.includes('database') && backupId) {
      const site = await backupSiteOf(session, ctx);
      const meta = await site.store.find(backupId);
      const { pg, store, backup } = site;
      const result = await log.group(`Restore ${backupId} (after a safety backup)`, () =>
        restoreBackup({ pg, store, clock, onCleanup: ctx.onCleanup }, meta, {
          format: backup.format,
          gzip: backup.gzip,
          verify: backup.verify,
          tag: 'pre-rollback',
          gitSha: runner.env.GITHUB_SHA,
        }),
      );
      for (const d of result.differences) log.warn(`after the restore: ${d}`);
      outcome.safety = result.safety.meta.id;
      log.info(`[${elapsed()}] database restored from ${backupId}; the state before is in ${outcome.safety}`);
    }
  } catch (err) {
    // Kept in the journal: masked, as the log would print it.
    outcome.error = log.mask(
      ctx.signal.aborted ? `${errorMessage(ctx.signal.reason)}: ${errorMessage(err)}` : errorMessage(err),
    );
    throw err;
  } finally {
    const ended = { to: to.id, from: from?.id, undone: records.map((r) => r.id), scope, backupId };
    await journal.update((jj) =>
      finishRollback(jj, { ...ended, ...outcome, safetyBackupId: outcome.safety, at: clock.now().toISOString() }),
    );
  }

  runner.setOutput('restored-release-id', to.id);
  runner.setOutput('restored-version', to.version);
  runner.setOutput('rolled-back-release-id', from?.id ?? (canary && !inputs['dry-run'] ? canary.id : ''));
  if (outcome.revision !== undefined) runner.setOutput('migration-revision', outcome.revision);
  if (outcome.safety) runner.setOutput('safety-backup-id', outcome.safety);
  if (!inputs['dry-run']) await reportToGitHub(ctx, { to, from, environmentName, url: environment.url, config });
  const verdict =
    smoke && !maintenance
      ? await runSmokeSuite(ctx, smoke, {
          base: environment.url,
          waitMs: smoke.wait ?? 0,
          transportFor: vias && viaTransport(vias, session),
        })
      : undefined;
  await runner.appendSummary(
    rollbackSummary(config.app, environmentName, {
      to,
      from,
      scope,
      revision: outcome.revision,
      safety: outcome.safety,
    }) + (verdict ? smokeSummary(verdict, 'Smoke checks of the restored release') : ''),
  );
  if (verdict && !verdict.passed) {
    throw new UserError(`rolled back to ${to.version}, but its smoke test failed: ${verdict.problems.join(' | ')}`);
  }
  log.info(`[${elapsed()}] rolled back to ${to.id} (${to.version})${verdict ? '; smoke checks pass' : ''}`);
}

/** What the rollback's phases produced, as they finish. */
interface Outcome {
  revision?: string;
  safety?: string;
  error?: string;
  replicas?: Record<string, ReleaseReplica[]>;
  swarm?: Record<string, SwarmServiceRecord>;
}

/**
 * GitHub's side of a rollback: the failed release's deployment marked failure and the restored release recorded as
 * the active deployment (with a token), and the incident issue when asked for (`incident-issue`).
 */
async function reportToGitHub(
  ctx: ActionRun<ParsedInputs<typeof rollbackInputs>>,
  o: { to: Release; from?: Release; environmentName: string; url?: string; config: Config },
): Promise<void> {
  const { inputs, runner, log } = ctx;
  const token = inputs['github-token'];
  const deploymentId = inputs['deployment-id'] ? Number(inputs['deployment-id']) : undefined;
  if (token || deploymentId) {
    await recordRollback(
      {
        token,
        environment: o.environmentName,
        url: o.url,
        runner,
        deploymentId,
        failed: { releaseId: o.from?.id ?? '', version: o.from?.version },
        restored: { releaseId: o.to.id, version: o.to.version, gitSha: o.to.gitSha },
      },
      // Not the run's signal: a cancelled release still gets its final status (each call bounded by the client).
      { env: runner.env, log },
    );
  }
  if (!ctx.nested)
    await notifyRun(ctx, o.config, {
      kind: 'rollback',
      environment: o.environmentName,
      version: o.from?.version ?? o.to.version,
      url: o.url,
      releaseId: o.from?.id,
      restoredVersion: o.to.version,
      reason: inputs.reason,
    });
  if (inputs['incident-issue']) {
    const detail = `Rolled back from ${o.from ? `${o.from.version} (${o.from.id})` : 'the live release'} to ${o.to.version} (${o.to.id})${inputs.reason ? `: ${inputs.reason}` : ''}.`;
    await reportIncident(ctx, o.config, {
      token,
      environment: o.environmentName,
      version: o.from?.version ?? o.to.version,
      verdict: { outcome: 'rolled back', detail },
      steps: [],
    });
  }
}
