/**
 * Maintenance on and off on every target of an environment, journaled, under the deploy lock the caller holds.
 * Traffic moves only through NginxUpstream (the upstream file's server lines, tested, reloaded, new workers waited
 * for); the page the toolkit writes (`maintenance.file`) is tested the same way, and a file nginx rejects is put back
 * before the upstream is touched.
 */
import { removeFilesArgv } from '../commands/files.js';
import type { Config, NginxProxyConfig } from '../config/schema.js';
import type { MaintenanceConfig } from '../config/schema-maintenance.js';
import type { Clock } from '../core/clock.js';
import { ConfigError, errorMessage, UserError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { LABEL, ownerLabels, portOf } from '../deploy/engine/labels.js';
import {
  type JournalStore,
  liveRelease,
  type MaintenanceRecord,
  maintenanceOn,
  type Release,
} from '../deploy/journal.js';
import { usesEngine } from '../deploy/strategy.js';
import { acceptsConnections } from '../deploy/takeover.js';
import type { DeployTarget } from '../deploy/types.js';
import { NginxUpstream } from '../proxy/nginx.js';
import { isPlaceholder, readUpstreamFile, type UpstreamServer } from '../proxy/upstream-file.js';
import { configFileAccess, notWritable, readText, writeConfigFile } from '../transports/files.js';
import type { Transport } from '../transports/types.js';
import { maintenanceAddress, maintenancePage } from './page.js';
import { frontedService, offStep, releaseServers } from './plan.js';

const QUIET = { quiet: true, timeoutMs: 30_000 } as const;

/** What switching needs: the environment's targets, its journal, who runs it. */
export interface MaintenanceScope {
  config: Config;
  /** The environment's name (environments.<name>). */
  environment: string;
  targets: readonly DeployTarget[];
  journal: JournalStore;
  who: { actor: string; runUrl?: string };
  clock: Clock;
  log: Logger;
}

/** How `on` or `off` ended: the record (as left in the journal, or as it was before `off`) and one line per target. */
export interface SwitchResult {
  record?: MaintenanceRecord;
  /** Nothing had to change (`on` while on, `off` while off). */
  already: boolean;
  lines: string[];
}

/** One target's nginx: the upstream in front of the fronted service. */
interface Site {
  target: DeployTarget;
  upstream: NginxUpstream;
}

/** strategy.proxy.nginx, or a ConfigError: maintenance moves the upstream, so it needs one. */
export function nginxOf(config: Config): NginxProxyConfig {
  const nginx = config.strategy.proxy?.nginx;
  if (!nginx)
    throw new ConfigError('maintenance mode points the nginx upstream elsewhere: it needs strategy.proxy.nginx');
  return nginx;
}

/** strategy.proxy.nginx.maintenance, or a ConfigError saying how to set one. */
export function maintenanceOf(config: Config): MaintenanceConfig {
  const m = nginxOf(config).maintenance;
  if (!m) {
    throw new ConfigError(
      'maintenance needs strategy.proxy.nginx.maintenance: { server: 127.0.0.1:8099 } (a server you run) or { file: /etc/nginx/conf.d/<app>-maintenance.conf, listen: 8099 } (a 503 page nginx answers)',
    );
  }
  return m;
}

function sitesOf(s: MaintenanceScope): Site[] {
  const nginx = nginxOf(s.config);
  return s.targets.map((target) => ({
    target,
    upstream: new NginxUpstream(target.transport, nginx, s.clock, s.log, target.docker),
  }));
}

/** Put `path` back to `before` (undefined: remove it). */
async function putBack(t: Transport, path: string, before: string | undefined): Promise<void> {
  if (before === undefined) await t.exec(removeFilesArgv([path]), QUIET);
  else await writeConfigFile(t, path, before);
}

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

/**
 * The ports of `release`'s containers of `service` that run on `target` (undefined: not containers of ours through
 * the Engine API, or no API: the journal is taken as it is).
 */
async function runningPorts(
  s: MaintenanceScope,
  target: DeployTarget,
  service: string,
  release: Release | undefined,
): Promise<Set<number> | undefined> {
  if (!release || !target.docker || !usesEngine(release.driver, release.strategy)) return undefined;
  const owner = { app: s.config.app, env: s.environment, service };
  const list = await target.docker.listContainers({ labels: { ...ownerLabels(owner), [LABEL.release]: release.id } });
  return new Set(list.flatMap((c) => (c.state === 'running' && portOf(c.labels) ? [portOf(c.labels) as number] : [])));
}

/** The primary servers of an upstream file's text (placeholders excluded); none when it cannot be read. */
function serversOf(text: string | undefined, nginx: NginxProxyConfig): UpstreamServer[] {
  try {
    return readUpstreamFile(text, nginx.upstream, nginx['upstream-file']).servers.filter((x) => !isPlaceholder(x));
  } catch {
    return [];
  }
}

/**
 * One target out of maintenance (see offStep): the upstream back, then the page file as it was before (a page nginx
 * rejects the removal of stays, with a warning: traffic is already back). `live`: the live release now (undefined:
 * the one of the record, as when `on` itself is undone). Returns the line for the summary.
 */
async function switchOff(
  s: MaintenanceScope,
  site: Site,
  record: MaintenanceRecord,
  live: { release: Release | undefined } | undefined,
): Promise<string> {
  const { target, upstream } = site;
  const nginx = nginxOf(s.config);
  const entry = record.targets[target.name];
  const saved = entry?.upstream === null ? undefined : entry?.upstream;
  const { text } = await upstream.read();
  const service = frontedService(s.config);
  const release = live?.release;
  const liveServers =
    live === undefined || service === undefined
      ? undefined
      : releaseServers(
          release,
          service,
          target.name,
          s.config.services?.[service]?.port,
          await runningPorts(s, target, service, release),
        );
  const step = offStep({
    saved: entry?.upstream,
    savedServers: serversOf(saved, nginx),
    untouched: entry !== undefined && upstream.render(saved, [{ address: record.address }]) === text,
    sameRelease: live === undefined || release?.id === record.liveRelease,
    live: liveServers,
  });
  if (step.kind === 'refuse') {
    throw new UserError(
      `${target.name}: ${step.why}, so the upstream stays on the maintenance page: deploy (or point ${nginx['upstream-file']} by hand), then run maintenance off again`,
    );
  }
  if (step.kind === 'restore') await upstream.restore(step.text, step.why);
  else await upstream.set(step.servers, step.why);
  const line =
    step.kind === 'restore'
      ? `${target.name}: ${nginx.upstream} back as it was before maintenance`
      : `${target.name}: ${nginx.upstream} → ${step.servers.map((x) => x.address).join(', ')} (${step.why.replace('maintenance off: ', '')})`;
  if (record.file && entry?.page !== undefined) {
    const t = target.transport;
    const now = await readText(t, record.file);
    const back = entry.page === null ? undefined : entry.page;
    if (now !== back) {
      try {
        await putBack(t, record.file, back);
        await upstream.reloadAfter(record.file, now, 'maintenance page removed');
      } catch (err) {
        s.log.warn(
          `${target.name}: traffic is back, but the maintenance page ${record.file} stays: ${errorMessage(err)}`,
        );
      }
    }
  }
  return line;
}

/**
 * Maintenance off: each target's upstream back (see offStep), the page file as it was, then the record removed. Off
 * while off succeeds and says so; an upstream that still points at the configured maintenance server without a
 * record (edited by hand, or a journal lost) gets the live release's servers. A target that fails keeps the record,
 * so `off` can run again.
 */
export async function maintenanceOffAll(s: MaintenanceScope): Promise<SwitchResult> {
  const sites = sitesOf(s);
  const j = await s.journal.read();
  const live = { release: liveRelease(j) };
  const record = maintenanceOn(j);
  if (!record) {
    const m = s.config.strategy.proxy?.nginx.maintenance;
    const address = m && maintenanceAddress(m);
    const lines: string[] = [];
    for (const site of sites) {
      const { file } = await site.upstream.read();
      const serving = file.servers.filter((x) => !isPlaceholder(x));
      if (address === undefined || serving.length !== 1 || serving[0]?.address !== address) continue;
      s.log.warn(
        `${site.target.name}: the upstream points at the maintenance server ${address}, but no record says so`,
      );
      lines.push(await switchOff(s, site, { since: '', address, targets: {} }, live));
    }
    return { already: lines.length === 0, lines };
  }
  const lines: string[] = [];
  for (const site of sites) lines.push(await switchOff(s, site, record, live));
  await s.journal.update((jj) => {
    delete jj.maintenance;
  });
  return { record, already: false, lines };
}
