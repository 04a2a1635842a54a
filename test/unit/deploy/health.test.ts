import { describe, expect, it } from 'vitest';
import type { HealthConfig } from '../../../src/config/schema.js';
import { StreamLogger } from '../../../src/core/logger.js';
import { Masker } from '../../../src/core/masker.js';
import { type ContainerState, type GateSubject, waitHealthy } from '../../../src/deploy/health.js';
import { LocalTransport } from '../../../src/transports/local.js';
import { manualClock } from '../helpers/clock.js';

/** The image's own HEALTHCHECK as the gate (no HTTP): the subject's states are scripted, one per look. */
const health = { container: true, interval: 1000, timeout: 1000, deadline: 10_000, stable: 3000 } as HealthConfig;

function gate(states: ContainerState[]) {
  const lines: string[] = [];
  const log = new StreamLogger({ sink: (l) => lines.push(l), masker: new Masker(), mode: 'cli', debug: false });
  let look = 0;
  const subject: GateSubject = {
    label: 'web1/api#0',
    host: '127.0.0.1',
    state: async () => states[Math.min(look++, states.length - 1)] as ContainerState,
    logsTail: async () => 'boom\n',
  };
  const ctx = { transport: new LocalTransport('local', log), clock: manualClock(), log };
  return { run: () => waitHealthy(ctx, health, subject), lines, looks: () => look };
}

const up = (startedAt: string, verdict = 'healthy'): ContainerState => ({
  running: true,
  exitCode: 0,
  health: verdict,
  startedAt,
});

describe('the health gate', () => {
  it('passes once healthy for the whole stable window', async () => {
    const g = gate([up('t0', 'starting'), up('t0'), up('t0'), up('t0'), up('t0')]);
    await g.run();
    expect(g.lines.join('\n')).toMatch(/web1\/api#0 healthy after 4\.0s \(attempt 5\): container health: healthy/);
  });

  it('fails a container that crashed and was restarted between two looks, though it answers healthy again', async () => {
    const g = gate([up('t0'), up('t0'), up('t1')]);
    await expect(g.run()).rejects.toThrow(/web1\/api#0 crashed and was restarted \(started t0, again t1\)/);
    expect(g.lines.join('\n')).toMatch(/last log lines of web1\/api#0/);
  });

  it('fails a container that exited, naming its exit code', async () => {
    const g = gate([up('t0', 'starting'), { running: false, exitCode: 3, startedAt: 't0' }]);
    await expect(g.run()).rejects.toThrow(/web1\/api#0 exited \(code 3\) while starting/);
  });

  it('fails at the deadline when it never gets healthy', async () => {
    const g = gate([up('t0', 'unhealthy')]);
    await expect(g.run()).rejects.toThrow(/not healthy within 10s \(deadline\) after 11 attempts/);
    expect(g.looks()).toBe(11);
  });

  it('fails when it turns unhealthy inside the stable window', async () => {
    const g = gate([up('t0'), up('t0', 'unhealthy')]);
    await expect(g.run()).rejects.toThrow(/became unhealthy 1\.0s after passing: container health: unhealthy/);
  });
});
