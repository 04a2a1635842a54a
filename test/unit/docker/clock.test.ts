/** The Docker client's waits and timestamps come from the clock it was given (ConnectDockerOptions.clock). */
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { connectDocker, type DockerClient } from '../../../src/docker/index.js';
import type { PullProgress } from '../../../src/docker/types.js';
import { captureLogger } from '../../integration/helpers/capture-logger.js';
import { manualClock } from '../helpers/clock.js';
import { type FakeDocker, fakeDocker, frame, hijack, json } from './fake-docker.js';

let fake: FakeDocker | undefined;
let client: DockerClient | undefined;
afterEach(async () => {
  await client?.close();
  await fake?.close();
  client = undefined;
  fake = undefined;
});

async function setup(clock: Clock): Promise<{ fake: FakeDocker; client: DockerClient }> {
  fake = await fakeDocker();
  client = await connectDocker({ kind: 'unix', path: fake.socketPath }, captureLogger(), { clock });
  return { fake, client };
}

/** A manual clock that also records every sleep it is asked for. */
function recordingClock(): { clock: Clock; sleeps: number[] } {
  const base = manualClock();
  const sleeps: number[] = [];
  const sleep = (ms: number): Promise<void> => {
    sleeps.push(ms);
    return base.sleep(ms);
  };
  return { clock: { now: base.now, sleep }, sleeps };
}

describe('exec on the client clock', () => {
  function routeExec(fake: FakeDocker, inspect: (poll: number) => unknown): void {
    fake.on('POST /v1.41/containers/web/exec', (_req, res) => json(res, 201, { Id: 'exec1' }));
    fake.on('POST /v1.41/exec/exec1/start', (_req, _res, raw) => hijack(raw, frame(1, 'ok\n')));
    let polls = 0;
    fake.on('GET /v1.41/exec/exec1/json', (_req, res) => json(res, 200, inspect(++polls)));
  }

  it('waits between exit-code polls with the clock, backing off 20 ms a poll up to 200 ms', async () => {
    const { clock, sleeps } = recordingClock();
    const { fake, client } = await setup(clock);
    routeExec(fake, (poll) => (poll < 5 ? { Running: true, ExitCode: null } : { Running: false, ExitCode: 0 }));
    const result = await client.execInContainer('web', ['true']);
    expect(result).toEqual({ code: 0, stdout: 'ok\n', stderr: '' });
    expect(sleeps).toEqual([20, 40, 60, 80]);
  });

  it('gives up after 50 polls, 9.1 s of clock time, without waiting in real time', async () => {
    const clock = manualClock();
    const startedAt = clock.now().getTime();
    const { fake, client } = await setup(clock);
    routeExec(fake, () => ({ Running: false, ExitCode: null }));
    await expect(client.execInContainer('web', ['true'])).rejects.toThrow(
      /exec `true` in web: its output ended but Docker reports no exit code/,
    );
    // 20+40+…+180 (900 ms), then 41 polls of 200 ms (8200 ms).
    expect(clock.now().getTime() - startedAt).toBe(9_100);
  });
});

describe('logs on the client clock', () => {
  it('turns sinceSeconds into a Unix time counted back from the clock', async () => {
    const clock = manualClock(Date.parse('2026-11-23T12:00:00Z'));
    const { fake, client } = await setup(clock);
    fake.on('GET /v1.41/containers/web/json', (_req, res) => json(res, 200, { Id: 'c1', Config: { Tty: true } }));
    fake.on('GET /v1.41/containers/web/logs', (_req, res) => {
      res.writeHead(200);
      res.end('line\n');
    });
    expect(await client.containerLogs('web', { sinceSeconds: 90 })).toBe('line\n');
    const since = Date.parse('2026-11-23T12:00:00Z') / 1000 - 90;
    expect(fake.seen.at(-1)?.url).toBe(`/v1.41/containers/web/logs?stdout=1&stderr=1&since=${since}`);
  });
});

describe('pull progress on the client clock', () => {
  it('reports the first line, then once per interval of clock time, then the summary', async () => {
    const base = manualClock();
    // Each reading of the clock is one second after the last: five lines span five seconds.
    const ticking: Clock = {
      now: () => {
        base.advance(1_000);
        return base.now();
      },
      sleep: base.sleep,
    };
    const { fake, client } = await setup(ticking);
    fake.on('POST /v1.41/images/create', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const lines = [1, 2, 3, 4, 5].map((n) => ({
        status: 'Downloading',
        id: 'aaaaaaaaaaaa',
        progressDetail: { current: n, total: 5 },
      }));
      res.end(lines.map((l) => JSON.stringify(l)).join('\r\n'));
    });
    const seen: PullProgress[] = [];
    await client.pullImage('team/app:v1', { progressIntervalMs: 2_000, onProgress: (p) => seen.push(p) });
    // Readings at +1 s (first), +3 s and +5 s (each 2 s after the last report), then the final summary.
    expect(seen.map((p) => p.bytesDone)).toEqual([1, 3, 5, 5]);
  });
});
