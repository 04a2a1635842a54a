/**
 * A canary the journal records, taken up again by a later run: promote or abort (a canary paused until promoted), a
 * rollback (which takes an open canary out first), or the next deploy (which puts back a canary whose run was killed
 * mid-step, before it changes anything). Each target's site is rebuilt from the journal: the fronted service's
 * recorded replicas and the upstream file as it was before the canary.
 */
import { UserError } from '../../core/errors.js';
import type { CanaryState, JournalStore, Release } from '../journal.js';
import { engineDeployOf, serviceSite } from '../service-site.js';
import type { DeployScope, SiteDeps } from '../types.js';
import { abortCanary, type CanaryRun } from './run.js';
import { resumeSite } from './site.js';

/**
 * The canary `release` as a run on `deps.targets` (each with its Engine API). Throws UserError when the journal's
 * record names a service it has no replicas for, or a target has no Engine API.
 */
export function resumeCanary(
  scope: Pick<DeployScope, 'config' | 'environmentName' | 'who'>,
  release: Release,
  journal: JournalStore,
  deps: SiteDeps,
): CanaryRun {
  const { clock, log, signal } = deps;
  const state = release.canary as CanaryState;
  const service = release.services[state.service];
  if (!service)
    throw new UserError(`the journal's canary ${release.id} names service ${state.service} but records none`);
  const sites = deps.targets.map((t) => {
    if (!t.docker) throw new UserError(`${t.name}: a canary needs the target's Engine API`);
    const site = serviceSite(
      scope,
      [state.service],
      t,
      state.service,
      { clock, log, signal },
      release.env?.[state.service],
    );
    return resumeSite(engineDeployOf(site, t.docker, release.id, service.image), state, service.replicas);
  });
  return { sites, release, journal, clock, log, signal, actor: scope.who.actor };
}

/** A canary whose run died mid-step (still in progress, its steps running): what the next run under the lock finds. */
export function deadCanary(releases: readonly Release[]): Release | undefined {
  return releases.find((r) => r.status === 'in-progress' && r.canary?.state === 'running');
}

/**
 * Put back `dead`, a canary a killed run left weighted in the upstream (called under the lock, before anything else
 * changes): the upstream as it was before it, its replicas stopped, its release failed (as the journal records it).
 */
export async function abortDeadCanary(
  scope: Pick<DeployScope, 'config' | 'environmentName' | 'who'>,
  dead: Release,
  journal: JournalStore,
  deps: SiteDeps,
): Promise<void> {
  deps.log.warn(
    `canary ${dead.id} (${dead.version}) was left at ${dead.canary?.weight}% by a run that died; taking it out first`,
  );
  await abortCanary(resumeCanary(scope, dead, journal, deps), 'its run died mid-step');
}
