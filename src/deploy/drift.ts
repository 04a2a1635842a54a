/**
 * Drift: what runs on the targets compared with what the journal says is live — containers, the images they run,
 * the upstream's servers. Read-only; pre-deploy-check and `runbook status` report every difference before a deploy
 * changes anything.
 */
import type { Config } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { isPlaceholder } from '../proxy/upstream-file.js';
import { LABEL, ownerLabels, portOf } from './engine/labels.js';
import { type Journal, liveRelease, openCanary } from './journal.js';
import { frontedProxy } from './service-site.js';
import { usesEngine } from './strategy.js';
import { swarmDrift } from './swarm/drift.js';
import type { DeployTarget } from './types.js';

/** One difference (or, with `kind: 'note'`, a fact worth knowing that is not a difference). */
export interface DriftFinding {
  target: string;
  service: string;
  kind: 'drift' | 'note';
  detail: string;
}

export interface DriftScope {
  config: Config;
  environmentName: string;
  journal: Journal;
  targets: readonly DeployTarget[];
  clock: Clock;
  log: Logger;
}

const short = (id: string | undefined) => (id ?? '?').replace(/^sha256:/, '').slice(0, 12);

/** Every difference between the live release of the journal and what runs, per target and service. */
export async function findDrift(s: DriftScope): Promise<DriftFinding[]> {
  const live = liveRelease(s.journal);
  const services = Object.keys(s.config.services ?? {});
  const out: DriftFinding[] = [];
  for (const target of s.targets) {
    for (const name of services) {
      const add = (kind: DriftFinding['kind'], detail: string) =>
        out.push({ target: target.name, service: name, kind, detail });
      try {
        await serviceDrift(s, target, name, live, add);
      } catch (err) {
        add('drift', `could not compare: ${errorMessage(err)}`);
      }
    }
  }
  return out;
}

async function serviceDrift(
  s: DriftScope,
  target: DeployTarget,
  name: string,
  live: ReturnType<typeof liveRelease>,
  add: (kind: DriftFinding['kind'], detail: string) => void,
): Promise<void> {
  const rec = live?.services[name];
  const recorded = (rec?.replicas ?? []).filter((r) => r.target === target.name);
  const expected = new Set(recorded.flatMap((r) => (r.port === undefined ? [] : [`127.0.0.1:${r.port}`])));
  // A site taken over and rolled back to: the servers it had are what should serve.
  for (const x of rec?.servers ?? []) if (x.target === target.name) expected.add(x.address);
  // The upstream in front of the service, read once: what serves now.
  const proxy = frontedProxy(s.config, Object.keys(s.config.services ?? {}), name, target, s.clock, s.log);
  const serving = proxy ? (await proxy.read()).file.servers.filter((x) => !isPlaceholder(x)).map((x) => x.address) : [];
  // A Swarm service: its spec's release and its tasks (Swarm replaces a crashed task on its slot's port).
  if (target.docker && live?.driver === 'swarm') {
    const owner = { app: s.config.app, env: s.environmentName, service: name };
    const found = await swarmDrift(target.name, target.docker, owner, live);
    for (const d of found.drift) add('drift', d);
    for (const a of found.serving) expected.add(a);
  }
  // Containers of ours to compare: the engine driver's, or a compose service's rolling replicas.
  else if (target.docker && (!live || usesEngine(live.driver, live.strategy))) {
    const owner = { app: s.config.app, env: s.environmentName, service: name };
    const all = await target.docker.listContainers({ all: true, labels: ownerLabels(owner) });
    for (const r of recorded) {
      const c = all.find((x) => x.id === r.id || x.names.includes(r.name));
      if (!c) add('drift', `${r.name} of the live release ${live?.version} is gone`);
      else if (c.state !== 'running') add('drift', `${r.name} of the live release ${live?.version} is ${c.state}`);
      else if (rec?.imageId && c.imageId !== rec.imageId)
        add('drift', `${r.name} runs image ${short(c.imageId)}, the journal recorded ${short(rec.imageId)}`);
      else if (/\(unhealthy\)/.test(c.status))
        add(
          'drift',
          `${r.name} of the live release ${live?.version} runs, but Docker reports it unhealthy (${c.status})`,
        );
    }
    // Expected beside the live release: blue-green's standby slot, and a canary paused at its share.
    const standby = live?.standby;
    const canary = openCanary(s.journal);
    for (const c of all.filter((x) => x.state === 'running' && !recorded.some((r) => r.id === x.id))) {
      const port = portOf(c.labels);
      const release = c.labels[LABEL.release];
      if (port) expected.add(`127.0.0.1:${port}`);
      if (standby && release === standby.release) {
        add(
          'note',
          `${c.names[0] ?? short(c.id)} is the blue-green standby (release ${release}) until ${standby.until}`,
        );
        continue;
      }
      const recordedAs = s.journal.releases.find((r) => r.id === release);
      if (recordedAs?.status === 'rolled-back' && !serving.includes(`127.0.0.1:${port}`)) {
        add(
          'note',
          `${c.names[0] ?? short(c.id)} of the rolled-back release ${recordedAs.version} still runs, out of traffic`,
        );
        continue;
      }
      if (canary && release === canary.id) {
        add(
          'note',
          `${c.names[0] ?? short(c.id)} is the canary ${canary.version} at ${canary.canary?.weight}% (promote or abort it)`,
        );
        continue;
      }
      add(
        'drift',
        `${c.names[0] ?? short(c.id)} (release ${release ?? '?'}${port ? `, port ${port}` : ''}) runs but is not part of the live release`,
      );
    }
  }
  if (!proxy) return;
  if (!live) {
    if (serving.length > 0)
      add('note', `not deployed yet: the upstream serves ${serving.join(', ')}; the first deploy takes it over`);
    return;
  }
  const page = s.journal.maintenance;
  if (page && serving.includes(page.address)) {
    add(
      'note',
      `maintenance mode since ${page.since}: the upstream serves the page at ${page.address} until "runbook maintenance off"`,
    );
    return;
  }
  for (const a of serving.filter((x) => !expected.has(x)))
    add('drift', `the upstream serves ${a}, which no replica of the live release holds (added by hand?)`);
  const own = new Set([
    ...recorded.map((r) => `127.0.0.1:${r.port}`),
    ...(rec?.servers ?? []).filter((x) => x.target === target.name).map((x) => x.address),
  ]);
  for (const a of [...own].filter((x) => expected.has(x) && !serving.includes(x)))
    add('drift', `${a} of the live release ${live.version} is not in the upstream`);
}
