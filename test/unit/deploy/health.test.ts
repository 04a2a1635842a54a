import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthConfig } from '../../../src/config/schema.js';
import { StreamLogger } from '../../../src/core/logger.js';
import { Masker } from '../../../src/core/masker.js';
import { type ContainerState, type GateSubject, waitHealthy } from '../../../src/deploy/health.js';
import { LocalTransport } from '../../../src/transports/local.js';
import { manualClock } from '../helpers/clock.js';
import { closedPort, listen, stop } from '../http/servers.js';

/** The image's own HEALTHCHECK as the gate (no HTTP): the subject's states are scripted, one per look. */
const health = { container: true, interval: 1000, timeout: 1000, deadline: 10_000, stable: 3000 } as HealthConfig;

function gate(states: ContainerState[], o: { acceptPort?: number; h?: HealthConfig | null } = {}) {
  const lines: string[] = [];
  const log = new StreamLogger({ sink: (l) => lines.push(l), masker: new Masker(), mode: 'cli', debug: false });
  let look = 0;
  const subject: GateSubject = {
    label: 'web1/api#0',
    host: '127.0.0.1',
    acceptPort: o.acceptPort,
    image: 'acme/api:v2',
    state: async () => states[Math.min(look++, states.length - 1)] as ContainerState,
    logsTail: async () => 'boom\n',
  };
  const ctx = { transport: new LocalTransport('local', log), clock: manualClock(), log };
  const h = o.h === null ? undefined : (o.h ?? health);
  return { run: () => waitHealthy(ctx, h, subject), lines, looks: () => look };
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

  it('fails at once when the image has no HEALTHCHECK, saying what to configure instead', async () => {
    const g = gate([{ running: true, exitCode: 0, startedAt: 't0' }]);
    await expect(g.run()).rejects.toThrow(
      'web1/api#0: health.container is true but the image acme/api:v2 has no HEALTHCHECK; add a HEALTHCHECK to the image, or configure health.http (path, and port when the service has none) instead',
    );
    expect(g.looks()).toBe(1);
  });
});

describe('the port a replica serves on must accept connections before traffic moves', () => {
  const listening = createServer((s) => s.destroy());
  let open = 0;
  let closed = 0;
  beforeAll(async () => {
    open = await listen(listening);
    closed = await closedPort();
  });
  afterAll(() => stop(listening));

  it('container: true passes once healthy and the port accepts', async () => {
    const g = gate([up('t0')], { acceptPort: open });
    await g.run();
    expect(g.lines.join('\n')).toContain(
      `healthy after 3.0s (attempt 4): container health: healthy; port ${open} accepts connections`,
    );
  });

  it('container: true with a healthy verdict but nothing listening fails at the deadline, naming the port', async () => {
    const g = gate([up('t0')], { acceptPort: closed });
    await expect(g.run()).rejects.toThrow(
      `web1/api#0 not healthy within 10s (deadline) after 11 attempts; last answer: container health: healthy, but port ${closed} accepts no connection: connection refused by 127.0.0.1:${closed} (nothing listens there)`,
    );
  });

  it('without a health config: running and accepting for 3 s (RUNNING_GATE)', async () => {
    const running = { running: true, exitCode: 0, startedAt: 't0' };
    const g = gate([running], { acceptPort: open, h: null });
    await g.run();
    expect(g.lines.join('\n')).toContain(`healthy after 3.0s (attempt 4): running; port ${open} accepts connections`);
    const refused = gate([running], { acceptPort: closed, h: null });
    await expect(refused.run()).rejects.toThrow(
      `not healthy within 30s (deadline) after 31 attempts; last answer: running, but port ${closed} accepts no connection`,
    );
  });

  it('without a health config or a port: running for 3 s is enough; an exit fails', async () => {
    const g = gate([{ running: true, exitCode: 0, startedAt: 't0' }], { h: null });
    await g.run();
    expect(g.lines.join('\n')).toContain('healthy after 3.0s (attempt 4): running');
    const exited = gate([{ running: false, exitCode: 2, startedAt: 't0' }], { h: null });
    await expect(exited.run()).rejects.toThrow('web1/api#0 exited (code 2) while starting');
  });
});
