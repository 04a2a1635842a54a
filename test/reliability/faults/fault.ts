/**
 * A fault of the reliability matrix: one thing that goes wrong against the real sandbox (a host that hangs, a
 * version that never gets healthy, a killed pg_dump, a cancel mid-statement …), injected by `run`, and what the
 * toolkit's promise says must still hold, measured. Each fault file registers its faults with `faultSuite`, which
 * runs them as tests and records their outcomes for the report (report.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type LoadResult, startLoad } from '../../integration/helpers/load.js';
import { recordFaults } from '../report.js';

export interface FaultOutcome {
  /** Whether the promise held (what the fault's own checks found). */
  survived: boolean;
  /** One line: what happened, in figures (for the report). */
  detail: string;
  /** Requests sent through the proxy while the fault ran, and how many failed (when a load ran). */
  requests?: number;
  requestsFailed?: number;
  /** Rows acknowledged by a writer that were not there afterwards (when a writer ran). */
  rowsLost?: number;
  /** Times a secret of the run was found in any sink (outputs, logs, summary, journal, files). */
  secretsFound?: number;
}

export interface Fault {
  /** The RELIABILITY.md row it exercises. */
  promise: number;
  name: string;
  /** Inject the fault, run the step(s), measure; throw (or return survived: false) when the promise broke. */
  run: () => Promise<FaultOutcome>;
  /** Per-fault time limit in ms (default 180 s). */
  timeoutMs?: number;
}

/** Run `faults` as tests of one describe block, then record them for the report. */
export function faultSuite(title: string, faults: readonly Fault[]): void {
  const outcomes: Array<{ fault: Fault; outcome: FaultOutcome }> = [];
  describe(`reliability faults: ${title}`, () => {
    for (const fault of faults) {
      it(
        `promise ${fault.promise}: ${fault.name}`,
        async () => {
          const outcome = await fault.run().catch(
            (err: unknown): FaultOutcome => ({
              survived: false,
              detail: `threw: ${(err as Error).message}`,
            }),
          );
          outcomes.push({ fault, outcome });
          expect(outcome.detail).not.toMatch(/^threw: /);
          expect(outcome.survived, outcome.detail).toBe(true);
          expect(outcome.requestsFailed ?? 0, outcome.detail).toBe(0);
          expect(outcome.rowsLost ?? 0, outcome.detail).toBe(0);
          expect(outcome.secretsFound ?? 0, outcome.detail).toBe(0);
        },
        fault.timeoutMs ?? 180_000,
      );
    }
    afterAll(() => recordFaults(title, outcomes));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run `step` under ~100 req/s to `url` (a second of load before and after); the step's result and the load. */
export async function underLoad<T>(url: string, step: () => Promise<T>): Promise<{ result: T; load: LoadResult }> {
  const load = startLoad(url, { workers: 4, ratePerSecond: 100, maxSeconds: 150 });
  await sleep(1000);
  try {
    const result = await step();
    await sleep(1000);
    return { result, load: await load.stop() };
  } catch (err) {
    await load.stop();
    throw err;
  }
}

/** A load's figures for a fault's detail line: requests, seconds, failures, which versions answered. */
export const loadText = (l: LoadResult): string =>
  `${l.requests} req in ${l.seconds.toFixed(0)}s, ${l.failed} failed${l.failed ? ` (${l.failures[0]})` : ''}, served ${Object.entries(
    l.bodies,
  )
    .map(([b, n]) => `${b}×${n}`)
    .join(' ')}`;
