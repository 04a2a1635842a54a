import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loader.js';
import { batchSizeOf, runsOn } from '../../../src/config/schema-fleet.js';
import { systemClock } from '../../../src/core/clock.js';
import { ConnectionError, UserError } from '../../../src/core/errors.js';
import { standing } from '../../../src/deploy/fleet/deploy.js';
import { batchesOf, type HostOutcome, rollOut } from '../../../src/deploy/fleet/rollout.js';
import type { Release } from '../../../src/deploy/journal-types.js';

const loadConfigText = (text: string) => parseConfig(text, 'runbook.yml');

const hosts = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `host${i + 1}` }));
const quiet = { info: () => undefined, warn: () => undefined };
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason);
    });
  });

describe('batches', () => {
  it('a count or a share of the hosts, at least 1, at most all; default one host after another', () => {
    expect(batchSizeOf(undefined, 10)).toBe(1);
    expect(batchSizeOf({ count: 3 }, 10)).toBe(3);
    expect(batchSizeOf({ count: 30 }, 10)).toBe(10);
    expect(batchSizeOf({ percent: 25 }, 10)).toBe(3);
    expect(batchSizeOf({ percent: 1 }, 10)).toBe(1);
    expect(batchSizeOf({ percent: 100 }, 1000)).toBe(1000);
    expect(batchesOf(hosts(5), 2).map((b) => b.map((h) => h.name))).toEqual([
      ['host1', 'host2'],
      ['host3', 'host4'],
      ['host5'],
    ]);
  });

  it('roles: a host without roles runs every service; a service without roles runs on every host', () => {
    expect(runsOn({}, { roles: ['worker'] })).toBe(true);
    expect(runsOn({ roles: ['web'] }, {})).toBe(true);
    expect(runsOn({ roles: ['web'] }, { roles: ['worker'] })).toBe(false);
    expect(runsOn({ roles: ['web', 'worker'] }, { roles: ['worker'] })).toBe(true);
  });
});

describe('rollOut', () => {
  const deps = () => ({ log: quiet, clock: systemClock, signal: new AbortController().signal });

  it('the hosts of a batch run at once; batches one after another', async () => {
    const events: string[] = [];
    const r = await rollOut(
      { batches: batchesOf(hosts(4), 2), hostTimeoutMs: 10_000 },
      async (h) => {
        events.push(`start ${h.name}`);
        await sleep(20);
        events.push(`end ${h.name}`);
      },
      deps(),
    );
    expect(events).toEqual([
      'start host1',
      'start host2',
      'end host1',
      'end host2',
      'start host3',
      'start host4',
      'end host3',
      'end host4',
    ]);
    expect(Object.values(r.outcomes).map((o) => o.state)).toEqual(['live', 'live', 'live', 'live']);
    expect(r.failed).toBeUndefined();
  });

  it('a failed host stops the rollout: its batch cancelled, later batches not started', async () => {
    const r = await rollOut(
      { batches: batchesOf(hosts(5), 2), hostTimeoutMs: 10_000 },
      async (h, signal) => {
        if (h.name === 'host3') throw new Error('health gate: never healthy');
        await sleep(h.name === 'host4' ? 5_000 : 5, signal);
      },
      deps(),
    );
    expect(r.failed?.host).toBe('host3');
    expect(Object.fromEntries(Object.entries(r.outcomes).map(([k, o]) => [k, o.state]))).toEqual({
      host1: 'live',
      host2: 'live',
      host3: 'failed',
      host4: 'cancelled',
      host5: 'not started',
    });
    expect(r.outcomes.host3?.error).toBe('health gate: never healthy');
  });

  it('a host whose connection was lost (wrapped or not) is marked lost: the report says its release is not known', async () => {
    const lost = new ConnectionError('the connection to deploy@10.0.0.12:22 was lost');
    const r = await rollOut(
      { batches: [hosts(2)], hostTimeoutMs: 10_000 },
      async (h) => {
        if (h.name === 'host1') throw new UserError('could not talk to the Docker daemon', { cause: lost });
        throw new Error('health gate: never healthy');
      },
      deps(),
    );
    expect(r.outcomes.host1).toMatchObject({ state: 'failed', lost: true });
    expect(r.outcomes.host2?.lost).toBeUndefined();
    const release = { version: 'v2' } as Release;
    expect(standing({ host1: r.outcomes.host1 as HostOutcome }, release, { version: 'v1' } as Release)).toBe(
      'host1 failed (runs v1 or v2: its connection was lost)',
    );
  });

  it('a host past host-timeout fails saying so (its work is told to stop)', async () => {
    let told = false;
    const r = await rollOut(
      { batches: [hosts(1)], hostTimeoutMs: 50 },
      async (_h, signal) => {
        await sleep(10_000, signal).catch((e: unknown) => {
          told = true;
          throw e;
        });
      },
      deps(),
    );
    expect(told).toBe(true);
    expect(r.outcomes.host1).toMatchObject({ state: 'failed', error: 'host1 took longer than host-timeout (0.05s)' });
  });

  it('a cancelled run is rethrown after the batch settled', async () => {
    const controller = new AbortController();
    const p = rollOut({ batches: [hosts(2)], hostTimeoutMs: 10_000 }, (_h, signal) => sleep(10_000, signal), {
      log: quiet,
      clock: systemClock,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('cancelled by SIGTERM')), 20);
    await expect(p).rejects.toThrow('cancelled by SIGTERM');
  });
});

describe('fleet config', () => {
  const base = (extra: string) => `app: shop
environments:
  production:
    targets:
      - { name: web1, local: true, roles: [web] }
      - { name: work1, local: true, roles: [worker] }
services:
  api: { image: shop/api, port: 8080, roles: [web] }
  jobs: { image: shop/jobs, roles: [worker] }
${extra}`;

  it('roles, batch-size, on-failure and host-timeout parse with their defaults', () => {
    const c = loadConfigText(base('strategy: { batch-size: 50%, on-failure: pause }'));
    expect(c.environments.production?.targets.map((t) => t.roles)).toEqual([['web'], ['worker']]);
    expect(c.services?.api?.roles).toEqual(['web']);
    expect(c.strategy['batch-size']).toEqual({ percent: 50 });
    expect(c.strategy['on-failure']).toBe('pause');
    expect(c.strategy['host-timeout']).toBe(900_000);
  });

  it('refuses a role no host plays, both batch-size and max-unavailable, and bad counts', () => {
    expect(() => loadConfigText(base('').replace('shop/jobs, roles: [worker]', 'shop/jobs, roles: [cron]'))).toThrow(
      /services\.jobs\.roles.*no target of environment production plays cron/,
    );
    expect(() => loadConfigText(base('strategy: { batch-size: 2, max-unavailable: 1 }'))).toThrow(
      /batch-size and max-unavailable say the same/,
    );
    expect(() => loadConfigText(base('strategy: { batch-size: 0 }'))).toThrow(/got 0: expected a number of hosts/);
    expect(() => loadConfigText(base('strategy: { batch-size: 150% }'))).toThrow(/expected a number of hosts/);
    expect(() => loadConfigText(base('strategy: { host-timeout: 1s }'))).toThrow(/host-timeout/);
  });
});
