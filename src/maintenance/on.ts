import type { MaintenanceConfig } from '../config/schema-maintenance.js';
import { errorMessage, UserError } from '../core/errors.js';
import { liveRelease, type MaintenanceRecord, maintenanceOn } from '../deploy/journal.js';
import { acceptsConnections } from '../deploy/takeover.js';
import { configFileAccess, notWritable, readText, writeConfigFile } from '../transports/files.js';
import { switchOff } from './off.js';
import { maintenanceAddress, maintenancePage } from './page.js';
import { type MaintenanceScope, putBack, type Site, type SwitchResult, sitesOf } from './switch.js';

/**
 * Maintenance on: every target read first (the upstream's layout, write access, nginx's master, the page file's
 * access, or the team's server answering), then the journal records it (with each upstream as it was), then each
 * target: the page written, tested and reloaded (when nginx serves it), then the upstream pointed at it. A failure
 * puts back the targets already switched and the journal as it was. On twice keeps the first record (its saved files).
 */
export async function maintenanceOnAll(
  s: MaintenanceScope,
  m: MaintenanceConfig,
  reason?: string,
): Promise<SwitchResult> {
  const address = maintenanceAddress(m);
  const sites = sitesOf(s);
  const j = await s.journal.read();
  const was = maintenanceOn(j);
  if (was?.file && m.kind === 'file' && was.file !== m.file) {
    throw new UserError(
      `maintenance is on with its page in ${was.file}, and the config now says ${m.file}: run "maintenance off" first`,
    );
  }
  const before = new Map<string, { upstream: string | undefined; page: string | undefined }>();
  for (const { target, upstream } of sites) {
    const t = target.transport;
    const { text } = await upstream.read();
    await upstream.assertWritable();
    await upstream.master();
    let page: string | undefined;
    if (m.kind === 'file') {
      page = await readText(t, m.file);
      if ((await configFileAccess(t, m.file)) === undefined) throw notWritable(t, m.file);
    } else if (!(await acceptsConnections(t, m.server))) {
      throw new UserError(
        `${target.name}: the maintenance server ${m.server} accepts no connections, so the upstream was not pointed at it (nothing changed)`,
      );
    }
    before.set(target.name, { upstream: text, page });
  }
  const saved = (name: string): MaintenanceRecord['targets'][string] => {
    const kept = was?.targets[name];
    const now = before.get(name);
    const page = m.kind === 'file' ? (kept?.page !== undefined ? kept.page : (now?.page ?? null)) : kept?.page;
    return { upstream: kept ? kept.upstream : (now?.upstream ?? null), ...(page === undefined ? {} : { page }) };
  };
  const record: MaintenanceRecord = {
    since: was?.since ?? s.clock.now().toISOString(),
    actor: was?.actor ?? s.who.actor,
    runUrl: was?.runUrl ?? s.who.runUrl,
    reason: reason ?? was?.reason,
    liveRelease: was ? was.liveRelease : liveRelease(j)?.id,
    address,
    file: was?.file ?? (m.kind === 'file' ? m.file : undefined),
    targets: { ...was?.targets, ...Object.fromEntries(sites.map(({ target }) => [target.name, saved(target.name)])) },
  };
  // Recorded before anything changes: a run that dies mid-way leaves a record `off` can put back from.
  await s.journal.update((jj) => {
    jj.maintenance = record;
  });
  const lines: string[] = [];
  const done: Site[] = [];
  let changed = false;
  try {
    for (const site of sites) {
      const moved = await switchOn(s, site, m, address);
      changed ||= moved;
      done.push(site);
      lines.push(
        `${site.target.name}: ${s.config.strategy.proxy?.nginx.upstream} → ${address}${moved ? '' : ' (already)'}`,
      );
    }
  } catch (err) {
    if (!was) {
      if (done.length > 0)
        s.log.warn(`maintenance on failed (${errorMessage(err)}); putting back the ${done.length} target(s) switched`);
      for (const site of done.reverse()) {
        await switchOff(s, site, record, undefined).catch((e: Error) =>
          s.log.warn(`${site.target.name}: could not put the upstream back: ${e.message}`),
        );
      }
      await s.journal.update((jj) => {
        delete jj.maintenance;
      });
    }
    throw err;
  }
  return { record, already: was !== undefined && !changed, lines };
}

/** One target into maintenance: the page (when nginx serves it), then the upstream. Returns whether anything moved. */
async function switchOn(s: MaintenanceScope, site: Site, m: MaintenanceConfig, address: string): Promise<boolean> {
  const { target, upstream } = site;
  const t = target.transport;
  let undoPage: (() => Promise<void>) | undefined;
  let moved = false;
  if (m.kind === 'file') {
    const text = maintenancePage(m, s.config.app);
    const before = await readText(t, m.file);
    if (before !== text) {
      await writeConfigFile(t, m.file, text);
      undoPage = async () => {
        try {
          await putBack(t, m.file, before);
          await upstream.reloadAfter(m.file, text, 'maintenance page put back');
        } catch (e) {
          s.log.warn(`${target.name}: could not put ${m.file} back: ${errorMessage(e)}`);
        }
      };
      try {
        // Rejected by `test`: the old bytes are back (or the file removed) and this throws; nothing else changed.
        await upstream.reloadAfter(m.file, before, 'maintenance page');
      } catch (err) {
        if ((await readText(t, m.file)) === text) await putBack(t, m.file, before).catch(() => undefined);
        throw err;
      }
      moved = true;
    }
    if (!(await acceptsConnections(t, address))) {
      await undoPage?.();
      throw new UserError(
        `${target.name}: after nginx's reload nothing answers on ${address} (is ${m.file} included at http level, and is port ${m.listen} free?); the upstream was not touched`,
      );
    }
  }
  const { file } = await upstream.read();
  const already = file.servers.length === 1 && file.servers[0]?.address === address;
  try {
    await upstream.set([{ address }], 'maintenance on');
  } catch (err) {
    await undoPage?.();
    throw err;
  }
  return moved || !already;
}
