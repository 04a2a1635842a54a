import { connect as netConnect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError, ConnectionError, TimeoutError, UserError } from '../../../src/core/errors.js';
import { connectDocker, DockerApiError, type DockerClient, isConflict, isNotFound } from '../../../src/docker/index.js';
import type { PullProgress } from '../../../src/docker/types.js';
import { type CapturedLogger, captureLogger } from '../../integration/helpers/capture-logger.js';
import { type FakeDocker, fakeDocker, frame, hijack, json } from './fake-docker.js';

let fake: FakeDocker | undefined;
let client: DockerClient | undefined;
afterEach(async () => {
  await client?.close();
  await fake?.close();
  client = undefined;
  fake = undefined;
});

async function setup(
  opts: { apiVersion?: string } = {},
): Promise<{ fake: FakeDocker; client: DockerClient; log: CapturedLogger }> {
  fake = await fakeDocker(opts);
  const log = captureLogger();
  client = await connectDocker({ kind: 'unix', path: fake.socketPath }, log);
  return { fake, client, log };
}

/** Everything the logger printed (not the secrets it was told about). */
const printed = (log: CapturedLogger): string =>
  log.calls
    .filter((c) => c.kind !== 'secret')
    .map((c) => c.message)
    .join('\n');

describe('version negotiation', () => {
  it('speaks min(server, 1.45) and prefixes every later path with it', async () => {
    const { fake, client } = await setup({ apiVersion: '1.47' });
    expect(client.apiVersion).toBe('1.45');
    expect(client.server).toMatchObject({ serverApiVersion: '1.47', engineVersion: '99.0.0-fake' });
    fake.on('GET /v1.45/containers/json', (_req, res) => json(res, 200, []));
    await client.listContainers();
    expect(fake.seen.map((r) => r.url)).toEqual(['/version', '/v1.45/containers/json']);
  });

  it('refuses a daemon older than API 1.41', async () => {
    fake = await fakeDocker({ apiVersion: '1.40' });
    const err = await connectDocker({ kind: 'unix', path: fake.socketPath }, captureLogger()).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/API 1\.40, older than the 1\.41/);
  });

  it('refuses something that is not a Docker daemon', async () => {
    fake = await fakeDocker();
    fake.on('GET /version', (_req, res) => json(res, 200, { hello: 'world' }));
    await expect(connectDocker({ kind: 'unix', path: fake.socketPath }, captureLogger())).rejects.toThrow(
      /did not answer GET \/version like a Docker daemon/,
    );
  });
});

describe('errors', () => {
  it('carries Docker’s message, the method, path and status; 404 is isNotFound', async () => {
    const { fake, client } = await setup();
    fake.on('GET /v1.41/containers/nope/json', (_req, res) => json(res, 404, { message: 'No such container: nope' }));
    const err = await client.inspectContainer('nope').catch((e) => e);
    expect(err).toBeInstanceOf(DockerApiError);
    expect(err).toBeInstanceOf(UserError);
    expect(isNotFound(err)).toBe(true);
    expect(err).toMatchObject({ statusCode: 404, method: 'GET', path: '/v1.41/containers/nope/json' });
    expect(err.message).toBe('No such container: nope (Docker API GET /v1.41/containers/nope/json: HTTP 404)');
    expect(await client.tryInspectContainer('nope')).toBeUndefined();
  });

  it('tells a conflict from a missing container, and uses the raw text when the body is not JSON', async () => {
    const { fake, client } = await setup();
    fake.on('POST /v1.41/containers/web/rename', (_req, res) => json(res, 409, { message: 'name "x" is in use' }));
    fake.on('POST /v1.41/containers/web/kill', (_req, res) => {
      res.writeHead(500);
      res.end('internal meltdown');
    });
    const conflict = await client.renameContainer('web', 'x').catch((e) => e);
    expect(isConflict(conflict)).toBe(true);
    expect(isNotFound(conflict)).toBe(false);
    expect(conflict.message).toMatch(
      /^renaming web to x: name "x" is in use \(Docker API POST .*rename\?name=x: HTTP 409\)$/,
    );
    const raw = await client.killContainer('web').catch((e) => e);
    expect(raw).toMatchObject({ statusCode: 500, dockerMessage: 'internal meltdown' });
  });

  it('returns undefined for a missing image', async () => {
    const { fake, client } = await setup();
    fake.on(/^GET \/v1\.41\/images\/.*\/json$/, (_req, res) => json(res, 404, { message: 'No such image' }));
    expect(await client.inspectImage('127.0.0.1:5000/team/app:v1')).toBeUndefined();
    expect(fake.seen.at(-1)?.url).toBe('/v1.41/images/127.0.0.1%3A5000/team/app%3Av1/json');
  });

  it('turns a missing socket into a ConnectionError that says so', async () => {
    const err = await connectDocker({ kind: 'unix', path: '/nonexistent/docker.sock' }, captureLogger()).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toMatch(/unix:\/\/\/nonexistent\/docker\.sock.*the socket does not exist/);
  });
});

describe('deadlines and cancellation', () => {
  it('times out a call whose answer never comes', async () => {
    const { fake, client } = await setup();
    fake.on('GET /v1.41/containers/slow/json', () => {});
    const err = await client.inspectContainer('slow', { timeoutMs: 150 }).catch((e) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.message).toMatch(/GET \/v1\.41\/containers\/slow\/json .* timed out after 150ms/);
  });

  it('cancels a call in flight, and refuses to start one with an aborted signal', async () => {
    const { fake, client } = await setup();
    const ac = new AbortController();
    fake.on('GET /v1.41/containers/hang/json', () => ac.abort());
    await expect(client.inspectContainer('hang', { signal: ac.signal })).rejects.toBeInstanceOf(CancelledError);
    const before = fake.seen.length;
    await expect(client.listContainers({ signal: ac.signal })).rejects.toBeInstanceOf(CancelledError);
    expect(fake.seen.length).toBe(before);
  });

  it('honours the client-wide signal', async () => {
    fake = await fakeDocker();
    const ac = new AbortController();
    client = await connectDocker({ kind: 'unix', path: fake.socketPath }, captureLogger(), { signal: ac.signal });
    ac.abort();
    await expect(client.version()).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('pullImage', () => {
  const auth = { username: 'deploy', password: 'hunter2-registry-secret', serveraddress: '127.0.0.1:5000' };

  it('sends X-Registry-Auth, registers it and the password as secrets, and throws an in-stream error', async () => {
    const { fake, client, log } = await setup();
    let secretsWhenSent: string[] = [];
    fake.on('POST /v1.41/images/create', (_req, res) => {
      secretsWhenSent = log.messages('secret');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":"Pulling from team/app","id":"v1"}\r\n{"status":"Pulling fs');
      res.end(
        ' layer","id":"aaaaaaaaaaaa"}\r\n{"errorDetail":{"message":"unauthorized: bad credentials"},"error":"unauthorized: bad credentials"}\r\n',
      );
    });
    const err = await client.pullImage('127.0.0.1:5000/team/app:v1', { auth, onProgress: () => {} }).catch((e) => e);
    expect(err).toBeInstanceOf(DockerApiError);
    expect(err).toMatchObject({ statusCode: 200, inStream: true, dockerMessage: 'unauthorized: bad credentials' });
    expect(err.message).toMatch(/^pulling 127\.0\.0\.1:5000\/team\/app:v1: unauthorized: bad credentials/);

    const req = fake.seen.at(-1);
    expect(req?.url).toBe('/v1.41/images/create?fromImage=127.0.0.1%3A5000%2Fteam%2Fapp&tag=v1');
    const header = String(req?.headers['x-registry-auth']);
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual(auth);
    expect(secretsWhenSent).toEqual(expect.arrayContaining([auth.password, header]));
    for (const text of [printed(log), err.message, String(err.stack)]) {
      expect(text).not.toContain(auth.password);
      expect(text).not.toContain(header);
    }
  });

  it('fails with Docker’s message when the daemon refuses before streaming', async () => {
    const { fake, client } = await setup();
    fake.on('POST /v1.41/images/create', (_req, res) => json(res, 404, { message: 'pull access denied for team/app' }));
    const err = await client.pullImage('team/app').catch((e) => e);
    expect(isNotFound(err)).toBe(true);
    expect(err.message).toMatch(
      /^pulling team\/app: pull access denied for team\/app \(Docker API POST .*tag=latest: HTTP 404\)$/,
    );
  });

  it('reports progress and returns the digest and final status', async () => {
    const { fake, client } = await setup();
    const digest = `sha256:${'d'.repeat(64)}`;
    fake.on('POST /v1.41/images/create', (_req, res) => {
      res.writeHead(200);
      res.end(
        [
          { status: 'Pulling from team/app', id: 'v1' },
          { status: 'Downloading', id: 'aaaaaaaaaaaa', progressDetail: { current: 5, total: 10 } },
          { status: 'Pull complete', id: 'aaaaaaaaaaaa' },
          { status: `Digest: ${digest}` },
          { status: 'Status: Downloaded newer image for team/app:v1' },
        ]
          .map((l) => JSON.stringify(l))
          .join('\r\n'),
      );
    });
    const seen: PullProgress[] = [];
    const result = await client.pullImage('team/app:v1', { onProgress: (p) => seen.push(p) });
    expect(result).toEqual({ digest, status: 'Status: Downloaded newer image for team/app:v1' });
    // The first line (throttle) and the final summary.
    expect(seen.length).toBe(2);
    expect(seen.at(-1)).toMatchObject({ layersDone: 1, layersTotal: 1, bytesDone: 10, bytesTotal: 10 });
  });
});

describe('containers', () => {
  it('creates with the name in the query and the spec as body, and logs Docker’s warnings', async () => {
    const { fake, client, log } = await setup();
    fake.on('POST /v1.41/containers/create', (_req, res) =>
      json(res, 201, { Id: 'abc123', Warnings: ['memory limit ignored'] }),
    );
    const id = await client.createContainer({
      name: 'web-blue',
      image: 'app:v1',
      env: { PORT: '8080' },
      networkMode: 'host',
    });
    expect(id).toBe('abc123');
    const req = fake.seen.at(-1);
    expect(req?.url).toBe('/v1.41/containers/create?name=web-blue');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body ?? '')).toEqual({
      Image: 'app:v1',
      Env: ['PORT=8080'],
      HostConfig: { NetworkMode: 'host' },
    });
    expect(log.messages('warn')).toEqual(['docker: creating web-blue: memory limit ignored']);
  });

  it('lists by label with Docker’s filters JSON and maps summaries', async () => {
    const { fake, client } = await setup();
    fake.on('GET /v1.41/containers/json', (_req, res) =>
      json(res, 200, [
        {
          Id: 'c1',
          Names: ['/web-blue'],
          Image: 'app:v1',
          ImageID: 'sha256:1',
          Labels: { app: 'web' },
          State: 'running',
          Status: 'Up 2 seconds',
          Created: 1700000000,
        },
      ]),
    );
    const list = await client.listContainers({ all: true, labels: { app: 'web', slot: 'blue' } });
    const url = new URL(`http://x${fake.seen.at(-1)?.url}`);
    expect(url.searchParams.get('all')).toBe('1');
    expect(JSON.parse(url.searchParams.get('filters') ?? '')).toEqual({ label: ['app=web', 'slot=blue'] });
    expect(list).toEqual([
      {
        id: 'c1',
        names: ['web-blue'],
        image: 'app:v1',
        imageId: 'sha256:1',
        labels: { app: 'web' },
        state: 'running',
        status: 'Up 2 seconds',
        created: '2023-11-14T22:13:20.000Z',
      },
    ]);
  });

  it('treats 304 from start/stop as done and gives stop a deadline beyond its grace time', async () => {
    const { fake, client } = await setup();
    fake.on(/^POST \/v1\.41\/containers\/web\/(start|stop)$/, (_req, res) => {
      res.writeHead(304);
      res.end();
    });
    await client.startContainer('web');
    await client.stopContainer('web', 12);
    expect(fake.seen.at(-1)?.url).toBe('/v1.41/containers/web/stop?t=12');
  });

  it('maps inspect, health included', async () => {
    const { fake, client } = await setup();
    fake.on('GET /v1.41/containers/web/json', (_req, res) =>
      json(res, 200, {
        Id: 'c1',
        Name: '/web',
        Image: 'sha256:img',
        RestartCount: 2,
        Config: { Image: 'app:v1', Labels: { a: 'b' }, Env: ['PORT=1'], Tty: false },
        HostConfig: { NetworkMode: 'host' },
        State: {
          Pid: 4242,
          Status: 'running',
          Running: true,
          ExitCode: 0,
          StartedAt: 's',
          FinishedAt: 'f',
          Health: {
            Status: 'unhealthy',
            FailingStreak: 3,
            Log: [{ Start: 'a', End: 'b', ExitCode: 1, Output: 'refused' }],
          },
        },
      }),
    );
    expect(await client.inspectContainer('web')).toEqual({
      id: 'c1',
      name: 'web',
      image: 'app:v1',
      imageId: 'sha256:img',
      labels: { a: 'b' },
      env: ['PORT=1'],
      state: {
        status: 'running',
        running: true,
        exitCode: 0,
        startedAt: 's',
        finishedAt: 'f',
        pid: 4242,
        health: {
          status: 'unhealthy',
          failingStreak: 3,
          log: [{ exitCode: 1, output: 'refused', start: 'a', end: 'b' }],
        },
      },
      restartCount: 2,
      networkMode: 'host',
      tty: false,
    });
  });

  it('demultiplexes logs unless the container has a TTY', async () => {
    const { fake, client } = await setup();
    let tty = false;
    fake.on('GET /v1.41/containers/web/json', (_req, res) => json(res, 200, { Id: 'c1', Config: { Tty: tty } }));
    fake.on('GET /v1.41/containers/web/logs', (_req, res) => {
      res.writeHead(200);
      res.end(tty ? 'raw tty text\n' : Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')]));
    });
    expect(await client.containerLogs('web', { tail: 50 })).toBe('out\nerr\n');
    expect(fake.seen.at(-1)?.url).toBe('/v1.41/containers/web/logs?stdout=1&stderr=1&tail=50');
    tty = true;
    expect(await client.containerLogs('web')).toBe('raw tty text\n');
  });

  it('execs: create, hijacked start with multiplexed output, then the exit code', async () => {
    const { fake, client } = await setup();
    fake.on('POST /v1.41/containers/web/exec', (_req, res) => json(res, 201, { Id: 'exec1' }));
    fake.on('POST /v1.41/exec/exec1/start', (_req, _res, raw) =>
      hijack(raw, Buffer.concat([frame(1, 'v1\n'), frame(2, 'warn\n'), frame(1, 'done\n')])),
    );
    let polls = 0;
    fake.on('GET /v1.41/exec/exec1/json', (_req, res) =>
      json(res, 200, ++polls < 2 ? { Running: true, ExitCode: null } : { Running: false, ExitCode: 7 }),
    );
    const result = await client.execInContainer('web', ['sh', '-c', 'cat /www/version'], { env: { A: '1' } });
    expect(result).toEqual({ code: 7, stdout: 'v1\ndone\n', stderr: 'warn\n' });
    const created = JSON.parse(fake.seen.find((r) => r.url.endsWith('/exec'))?.body ?? '');
    expect(created).toMatchObject({
      Cmd: ['sh', '-c', 'cat /www/version'],
      Env: ['A=1'],
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    });
    // The connection the hijack closed is replaced: the client keeps working.
    fake.on('GET /v1.41/containers/json', (_req, res) => json(res, 200, []));
    expect(await client.listContainers()).toEqual([]);
  });
});

describe('endpoints', () => {
  it('refuses plain tcp:// without allowPlainTcp before connecting', async () => {
    fake = await fakeDocker({ tcp: true });
    const tcp = fake as FakeDocker & { port: number; server: import('node:http').Server };
    let connections = 0;
    tcp.server.on('connection', () => connections++);
    const err = await connectDocker({ kind: 'tcp', host: '127.0.0.1', port: tcp.port }, captureLogger()).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/has no TLS: anyone who can reach that port controls the daemon/);
    expect(connections).toBe(0);
    expect(tcp.seen).toEqual([]);
  });

  it('allows plain TCP when asked, with a loud warning', async () => {
    const tcp = await fakeDocker({ tcp: true });
    fake = tcp;
    const log = captureLogger();
    client = await connectDocker({ kind: 'tcp', host: '127.0.0.1', port: tcp.port, allowPlainTcp: true }, log);
    expect(client.apiVersion).toBe('1.41');
    expect(log.messages('warn').join('\n')).toMatch(/PLAIN TCP without TLS/);
  });

  it('refuses TLS material that is not PEM and registers the key as a secret', async () => {
    const log = captureLogger();
    const pem = '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n';
    await expect(
      connectDocker({ kind: 'tcp', host: '127.0.0.1', port: 1, tls: { ca: 'nope', cert: pem, key: pem } }, log),
    ).rejects.toThrow(/ca is not a PEM text/);
    const key = '-----BEGIN PRIVATE KEY-----\nsecret-key-body\n-----END PRIVATE KEY-----\n';
    await connectDocker({ kind: 'tcp', host: '127.0.0.1', port: 1, tls: { ca: pem, cert: pem, key } }, log).catch(
      () => {},
    );
    expect(log.messages('secret')).toContain(key);
  });

  it('talks over any stream the endpoint opens, and passes the opener’s failure through', async () => {
    fake = await fakeDocker({ apiVersion: '1.43' });
    const path = fake.socketPath;
    let opened = 0;
    client = await connectDocker(
      {
        kind: 'stream',
        label: 'test stream',
        open: async () => {
          opened++;
          return netConnect(path);
        },
      },
      captureLogger(),
    );
    expect((await client.version()).apiVersion).toBe('1.43');
    expect(opened).toBeGreaterThanOrEqual(1);
    const failing = await connectDocker(
      { kind: 'stream', label: 'dead stream', open: () => Promise.reject(new ConnectionError('ssh is gone')) },
      captureLogger(),
    ).catch((e) => e);
    expect(failing).toBeInstanceOf(ConnectionError);
    expect(failing.message).toBe('ssh is gone');
  });

  it('logs each call at debug level with method, path and status', async () => {
    const { fake, client, log } = await setup();
    fake.on('GET /v1.41/containers/json', (_req, res) => json(res, 200, []));
    await client.listContainers({ all: true });
    expect(log.messages('debug')).toContain('docker: GET /v1.41/containers/json?all=1 → 200');
  });
});
