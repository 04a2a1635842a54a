/**
 * A canary's steps across every target: set the weight everywhere, measure the step's window, judge; a breach (or
 * an inconclusive step) aborts — weight 0, canary stopped, the release failed, the live release untouched — and a
 * step paused `until-promoted` ends the run with the canary serving its share (release status `canary`). Every move
 * is journaled before the next, so `runbook promote` / `runbook abort` go on from where it stands.
 */
import type { CanaryConfig } from '../../config/schema-progressive.js';
import type { Clock } from '../../core/clock.js';
import { UserError } from '../../core/errors.js';
import type { Logger } from '../../core/log-types.js';
import type { CanaryState, JournalStore, Release } from '../journal.js';
import { CanaryLiveness } from './liveness.js';
import { measureStep } from './measure.js';
import { abortSite, type CanarySite, promoteSite, setWeight } from './site.js';

export interface CanaryRun {
  sites: CanarySite[];
  release: Release;
  journal: JournalStore;
  clock: Clock;
  log: Logger;
  signal?: AbortSignal;
  /** Who moves it on (a paused step's record names them). */
  actor: string;
}

/** The start of `CanaryState.reason` when an abort could not put an upstream back: the canary is still open. */
export const ABORT_INCOMPLETE = 'abort incomplete';

/** A canary that a gate stopped: the run fails with this after the abort put everything back. */
export class CanaryAbortedError extends UserError {
  override name = 'CanaryAbortedError';
}

const configOf = (run: CanaryRun): CanaryConfig => run.sites[0]?.d.config.strategy.canary as CanaryConfig;

/** The journal state of a canary that starts now on `sites`. */
export function newCanaryState(
  service: string,
  sites: readonly CanarySite[],
  plan: Pick<CanaryConfig, 'steps' | 'sticky'>,
): CanaryState {
  return {
    state: 'running',
    step: -1,
    weight: 0,
    service,
    steps: [],
    upstreamBefore: Object.fromEntries(sites.map((s) => [s.d.target.name, s.before ?? null])),
    stable: Object.fromEntries(sites.map((s) => [s.d.target.name, s.stable.map((x) => x.address)])),
    ...(sites[0]?.route ? { route: sites[0].route } : {}),
    plan: { steps: plan.steps, ...(plan.sticky ? { sticky: plan.sticky } : {}) },
  };
}

async function save(run: CanaryRun): Promise<void> {
  await run.journal.upsert(run.release);
}

/**
 * Run steps `from`… of strategy.canary.steps. Resolves `promoted` (the canary serves alone; the caller marks the
 * release live) or `paused`; throws CanaryAbortedError after an abort, or the error that stopped it (then aborted too).
 */
export async function runCanarySteps(run: CanaryRun, from: number): Promise<'promoted' | 'paused'> {
  const { log, clock, release } = run;
  const canary = configOf(run);
  const state = release.canary as CanaryState;
  // The plan the canary started with: a later run's config may differ (said by promote).
  const steps = state.plan?.steps ?? canary.steps;
  const baseUrl = run.sites[0]?.d.config.environments[run.sites[0].d.environment]?.url;
  try {
    for (let i = from; i < steps.length; i++) {
      const step = steps[i] as (typeof steps)[number];
      // Traffic moves only to a canary that runs and is healthy now (a paused one may have died meanwhile).
      const unfit = await new CanaryLiveness(run.sites).unfit();
      if (unfit.length > 0) {
        const why = `before step ${i + 1} (${step.weight}%): ${unfit.join('; ')}`;
        await abortCanary(run, why);
        throw new CanaryAbortedError(`canary ${release.version} aborted ${why}; the live release takes all traffic`);
      }
      await log.group(`canary step ${i + 1}/${steps.length}: ${step.weight}%`, async () => {
        for (const s of run.sites) await setWeight(s, step.weight);
        state.step = i;
        state.weight = step.weight;
        state.state = 'running';
        await save(run);
      });
      if (step.pause === 'until-promoted') {
        state.state = 'paused';
        state.steps.push({
          step: i,
          weight: step.weight,
          startedAt: clock.now().toISOString(),
          verdict: 'paused',
          reasons: [],
        });
        release.status = 'canary';
        await save(run);
        log.info(
          `canary ${release.version} holds ${step.weight}% until promoted: \`runbook promote\` goes on, \`runbook abort\` takes it out`,
        );
        return 'paused';
      }
      const record = await measureStep(
        { sites: run.sites, canary, version: release.version, baseUrl, clock, log, signal: run.signal },
        i,
        step.weight,
        step.pause,
      );
      state.steps.push(record);
      await save(run);
      log.info(
        `step ${i + 1} (${step.weight}%): ${record.verdict}${record.reasons.length ? ` — ${record.reasons.join('; ')}` : ''}`,
      );
      if (record.verdict !== 'pass') {
        const why = `step ${i + 1} at ${step.weight}% was ${record.verdict}: ${record.reasons.join('; ')}`;
        await abortCanary(run, why);
        throw new CanaryAbortedError(`canary ${release.version} aborted: ${why}; the live release takes all traffic`);
      }
    }
    await log.group(`promote ${release.version}`, async () => {
      for (const s of run.sites) await promoteSite(s);
    });
    state.state = 'promoted';
    state.weight = 100;
    await save(run);
    return 'promoted';
  } catch (err) {
    if (!(err instanceof CanaryAbortedError) && state.state !== 'aborted') {
      await abortCanary(run, `the canary stopped: ${(err as Error).message}`);
    }
    throw err;
  }
}

/** Abort on every target (each as far as it goes) and journal it: state aborted, the release failed. */
export async function abortCanary(run: CanaryRun, why: string): Promise<void> {
  const state = run.release.canary as CanaryState;
  run.log.warn(`aborting canary ${run.release.version}: ${why}`);
  const stuck: string[] = [];
  await run.log.group('abort the canary', async () => {
    for (const s of run.sites) {
      const failed = await abortSite(s, 'canary aborted');
      if (failed) stuck.push(failed);
    }
  });
  if (stuck.length > 0) {
    // The canary stays open (its weights still serve): the journal says why, and `runbook abort` tries again.
    state.reason = `${ABORT_INCOMPLETE}: ${stuck.join('; ')}`;
    await save(run);
    throw new UserError(
      `the canary ${run.release.version} could not be taken out: ${stuck.join('; ')}; fix nginx, then run \`runbook abort\` again`,
    );
  }
  state.state = 'aborted';
  state.weight = 0;
  state.reason = why;
  run.release.status = 'failed';
  run.release.error = why;
  run.release.finishedAt = run.clock.now().toISOString();
  await save(run);
}
