import { UserError } from '../core/errors.js';
import { liveRelease, maintenanceOn, openCanary } from '../deploy/journal.js';
import { driverOf } from '../deploy/strategy.js';
import type { maintenanceInputs } from '../inputs/maintenance.js';
import type { ParsedInputs } from '../inputs/spec.js';
import { maintenanceOffAll } from '../maintenance/off.js';
import { maintenanceOnAll } from '../maintenance/on.js';
import { maintenanceAddress, maintenancePage } from '../maintenance/page.js';
import {
  frontingTargets,
  type MaintenanceScope,
  maintenanceOf,
  nginxOf,
  type SwitchResult,
} from '../maintenance/switch.js';
import { NginxUpstream } from '../proxy/nginx.js';
import { buildSummary } from '../report/summary.js';
import type { ActionRun } from './module.js';

type Run = ActionRun<ParsedInputs<typeof maintenanceInputs>>;

/**
 * maintenance: `on` points the nginx upstream of every target at the maintenance page (a 503 nginx answers, or the
 * team's server) and records it in the journal; `off` puts it back. Under the deploy lock, so no deploy, migration or
 * rollback runs in between; a deploy that runs while it is on keeps its replicas out of the upstream.
 */
export async function runMaintenance(run: Run): Promise<void> {
  const { log, runner, clock, inputs } = run;
  const session = await run.session();
  const { config, environmentName, label } = session;
  nginxOf(config);
  // `on` needs the page configured; `off` puts back what the journal saved, even if the config changed since.
  const m = inputs.mode === 'on' ? maintenanceOf(config) : undefined;
  if (inputs['dry-run']) {
    await log.group('Plan (dry run: nothing is changed)', () => plan(run, m));
    return;
  }
  await session.lock(run, inputs['lock-wait']);
  const journal = await session.journal();
  const j = await journal.read();
  const live = liveRelease(j);
  // A canary serving its share owns the upstream's weights: the page would be undone by its promote or abort.
  const canary = openCanary(j);
  if (inputs.mode === 'on' && canary) {
    throw new UserError(
      `canary ${canary.id} (${canary.version}) serves ${canary.canary?.weight}% beside the live release: promote or abort it (runbook promote / runbook abort) before maintenance on`,
    );
  }
  // The live release's driver says whether its replicas are containers the Engine API can list.
  const targets = await session.deployTargets(live?.driver ?? driverOf(config), live?.strategy ?? config.strategy.type);
  const scope: MaintenanceScope = {
    config,
    environment: environmentName,
    targets,
    journal,
    who: session.who,
    clock,
    log,
  };
  const r = m ? await maintenanceOnAll(scope, m, inputs.reason) : await maintenanceOffAll(scope);
  for (const line of r.lines) log.info(line);
  const on = inputs.mode === 'on';
  runner.setOutput('maintenance', on ? 'on' : 'off');
  runner.setOutput('since', on ? (r.record?.since ?? '') : '');
  runner.setOutput('address', on ? (r.record?.address ?? '') : '');
  await runner.appendSummary(maintenanceSummary(label, inputs.mode, r));
  log.info(verdict(label, inputs.mode, r));
  run.report.verdict = { outcome: on ? 'on' : 'off', detail: verdict(label, inputs.mode, r) };
}

function verdict(label: string, mode: 'on' | 'off', r: SwitchResult): string {
  if (mode === 'on')
    return `${label}: maintenance is on${r.already ? ' (it already was)' : ''} since ${r.record?.since}; traffic goes to ${r.record?.address}`;
  return r.already
    ? `${label}: maintenance was not on; nothing to do`
    : `${label}: maintenance is off; traffic is back`;
}

/**
 * The job summary section: the switch done (on or off: the header's verdict says only done or failed), the record of
 * who turned it on and why, and what changed on each target.
 */
export function maintenanceSummary(label: string, mode: 'on' | 'off', r: SwitchResult): string {
  const rec = r.record;
  const record =
    rec && mode === 'on'
      ? [`since ${rec.since} by ${rec.actor ?? '?'}${rec.reason ? `: ${rec.reason}` : ''}`]
      : rec
        ? [`it had been on since ${rec.since} by ${rec.actor ?? '?'}${rec.reason ? ` (${rec.reason})` : ''}`]
        : [];
  return buildSummary((doc) => {
    doc.heading(`Maintenance ${mode}`, 3);
    doc.paragraph(verdict(label, mode, r));
    const items = [...record, ...r.lines];
    if (items.length > 0) doc.list(items);
  });
}

/** The dry run: per target, the page and the upstream as `on` would write them, or what `off` would put back. */
async function plan(run: Run, m: ReturnType<typeof maintenanceOf> | undefined): Promise<void> {
  const { log, clock } = run;
  const session = await run.session();
  const { config } = session;
  const nginx = nginxOf(config);
  const j = await (await session.journal()).read();
  const rec = maintenanceOn(j);
  if (!m) {
    if (!rec) log.info('maintenance is not on: off would change nothing');
    else {
      const live = liveRelease(j);
      log.info(`maintenance is on since ${rec.since} (${rec.address}), by ${rec.actor ?? '?'}`);
      log.info(
        live?.id === rec.liveRelease
          ? `off would put the upstream back as it was (the live release ${live?.version ?? '(none)'} is the one of then)`
          : `off would point the upstream at the replicas of the live release ${live?.id} (deployed during maintenance)`,
      );
      if (rec.file) log.info(`and put ${rec.file} back as it was`);
    }
    return;
  }
  const address = maintenanceAddress(m);
  if (rec) log.info(`maintenance is already on since ${rec.since}: on again changes only what differs`);
  if (m.kind === 'file') {
    log.info(`would write ${m.file}, test it with ${nginx.test.join(' ')} and reload:`);
    for (const line of maintenancePage(m, config.app).trimEnd().split('\n')) log.info(`  ${line}`);
  } else log.info(`would check that ${m.server} accepts connections`);
  const targets = await session.deployTargets(driverOf(config), config.strategy.type);
  for (const target of frontingTargets(config, session.environmentName, targets)) {
    const upstream = new NginxUpstream(target.transport, nginx, clock, log, target.docker);
    const { text } = await upstream.read();
    log.info(`${target.name}: ${nginx['upstream-file']} would become:`);
    for (const line of upstream.render(text, [{ address }]).trimEnd().split('\n')) log.info(`  ${line}`);
  }
}
