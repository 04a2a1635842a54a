import type { NginxProxyConfig } from '../config/schema.js';
import { errorMessage, UserError } from '../core/errors.js';
import { LABEL, ownerLabels, portOf } from '../deploy/engine/labels.js';
import { liveRelease, type MaintenanceRecord, maintenanceOn, type Release } from '../deploy/journal.js';
import { usesEngine } from '../deploy/strategy.js';
import type { DeployTarget } from '../deploy/types.js';
import { atHost } from '../proxy/host-share.js';
import { isPlaceholder, readUpstreamFile, type UpstreamServer } from '../proxy/upstream-file.js';
import { readText } from '../transports/files.js';
import { maintenanceAddress } from './page.js';
import { frontedService, offStep, releaseServers } from './plan.js';
import { type MaintenanceScope, nginxOf, putBack, type Site, type SwitchResult, sitesOf } from './switch.js';

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

/**
 * The servers `release` serves `service` from behind `target`'s nginx: the target's own replicas; on the load
 * balancer, every host's, each at the host's address.
 */
async function liveServersOf(
  s: MaintenanceScope,
  target: DeployTarget,
  service: string,
  release: Release | undefined,
): Promise<UpstreamServer[] | undefined> {
  const port = s.config.services?.[service]?.port;
  const seat = target.balancer;
  if (!seat)
    return releaseServers(release, service, target.name, port, await runningPorts(s, target, service, release));
  if (!release) return undefined;
  const all: UpstreamServer[] = [];
  for (const host of s.targets) {
    const address = host.balancer?.address;
    if (address === undefined || !seat.hosts.owners.includes(address)) continue;
    const mine = releaseServers(release, service, host.name, port, await runningPorts(s, host, service, release)) ?? [];
    all.push(...mine.map((x) => atHost(x, address)));
  }
  return all;
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
export async function switchOff(
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
    live === undefined || service === undefined ? undefined : await liveServersOf(s, target, service, release);
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
