/**
 * The Docker Engine API client against the sandbox's real dockerd (20.10, API 1.41): its Unix socket, its mutual-TLS
 * TCP port, and its socket reached through the sandbox sshd. Containers run runbook-test-app with host networking,
 * each on its own 127.0.0.1 port; nothing leaves 127.0.0.1 (images are never pulled from a registry).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, UserError } from '../../src/core/errors.js';
import {
  connectDocker,
  DockerApiError,
  type DockerClient,
  type DockerEndpoint,
  isNotFound,
} from '../../src/docker/index.js';
import type { SshTransport } from '../../src/transports/ssh.js';
import { captureLogger } from './helpers/capture-logger.js';
import { SANDBOX_JSON } from './helpers/sandbox.js';
import { closedPort, connectSandbox, eventually } from './helpers/ssh.js';

interface SandboxDocker {
  socket: string;
  tcp: string;
  apiVersion: string;
  tls: { ca: string; cert: string; key: string; wrongCa: string; wrongCert: string; wrongKey: string };
}

/** The sandbox dockerd and test app from .sandbox/sandbox.json; throws (never skips) when they are not up. */
function sandboxDocker(): { docker: SandboxDocker; image: string } {
  const hint = 'start it with: npm run sandbox:up (bash test/sandbox/up.sh)';
  if (!existsSync(SANDBOX_JSON))
    throw new Error(`the test sandbox is not running (${SANDBOX_JSON} is missing); ${hint}`);
  const doc = JSON.parse(readFileSync(SANDBOX_JSON, 'utf8')) as {
    docker?: SandboxDocker;
    app?: { image: string; tags: string[] };
  };
  if (!doc.docker)
    throw new Error(`the sandbox dockerd is not running (no "docker" section in ${SANDBOX_JSON}); ${hint}`);
  if (!doc.app?.tags.includes('v1'))
    throw new Error(`the sandbox test app images are missing (no "app" v1 in ${SANDBOX_JSON}); ${hint}`);
  return { docker: doc.docker, image: doc.app.image };
}

const { docker, image } = sandboxDocker();
const APP_V1 = `${image}:v1`;
const RUN = randomBytes(4).toString('hex');
const LABELS = { 'runbook.test': 'docker-engine', 'runbook.test.run': RUN };
const tcp = new URL(docker.tcp.replace(/^tcp:/, 'http:'));
const tcpEndpoint = (tls?: { ca: string; cert: string; key: string }): DockerEndpoint => ({
  kind: 'tcp',
  host: tcp.hostname,
  port: Number(tcp.port),
  ...(tls ? { tls } : {}),
});
const read = (path: string): string => readFileSync(path, 'utf8');

let client: DockerClient;
const extraClients: DockerClient[] = [];
let ssh: SshTransport | undefined;

beforeAll(async () => {
  client = await connectDocker({ kind: 'unix', path: docker.socket }, captureLogger());
});

afterAll(async () => {
  if (client) {
    for (const c of await client.listContainers({ all: true, labels: LABELS })) {
      await client.removeContainer(c.id, { force: true }).catch(() => {});
    }
    await client.close();
  }
  for (const c of extraClients) await c.close();
  await ssh?.close();
});

describe('the sandbox dockerd over its Unix socket', () => {
  it('negotiates API 1.41 with Docker 20.10', async () => {
    expect(client.apiVersion).toBe('1.41');
    expect(client.server.serverApiVersion).toBe(docker.apiVersion);
    const version = await client.version();
    expect(version.apiVersion).toBe('1.41');
    expect(version.engineVersion).toMatch(/^20\.10\./);
  });

  it('runs a container through create → start → inspect → HTTP → logs → exec → list → rename → stop → remove', async () => {
    const port = await closedPort();
    const name = `rb-engine-${RUN}-web`;
    const id = await client.createContainer({
      name,
      image: APP_V1,
      networkMode: 'host',
      env: { PORT: String(port) },
      labels: { ...LABELS, 'runbook.slot': 'blue' },
      stopTimeoutSeconds: 10,
    });
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    await client.startContainer(id);

    const info = await client.inspectContainer(id);
    expect(info).toMatchObject({ id, name, image: APP_V1, networkMode: 'host', tty: false });
    expect(info.state).toMatchObject({ status: 'running', running: true });
    expect(info.env).toContain(`PORT=${port}`);
    expect(info.labels).toMatchObject({ ...LABELS, 'runbook.slot': 'blue' });
    expect(info.imageId).toBe((await client.inspectImage(APP_V1))?.id);

    const answer = await eventually(() =>
      fetch(`http://127.0.0.1:${port}/version`).then(
        (r) => (r.ok ? r.text() : undefined),
        () => undefined,
      ),
    );
    expect(answer).toBe('v1\n');

    expect(await client.containerLogs(id, { tail: 100 })).toContain(`:${port}: serving on 127.0.0.1:${port}`);

    expect(await client.execInContainer(id, ['cat', '/www/version'])).toEqual({ code: 0, stdout: 'v1\n', stderr: '' });
    expect(
      await client.execInContainer(id, ['sh', '-c', 'echo "$GREETING"; echo oops >&2; exit 4'], {
        env: { GREETING: 'hi there' },
      }),
    ).toEqual({ code: 4, stdout: 'hi there\n', stderr: 'oops\n' });

    // The image's HEALTHCHECK (every second) turns healthy and shows in inspect.
    const healthy = await eventually(async () => {
      const h = (await client.inspectContainer(id)).state.health;
      return h?.status === 'healthy' ? h : undefined;
    }, 20_000);
    expect(healthy?.failingStreak).toBe(0);
    expect(healthy?.log.at(-1)?.exitCode).toBe(0);

    const listed = await client.listContainers({ labels: LABELS });
    expect(listed.map((c) => ({ id: c.id, names: c.names, state: c.state, image: c.image }))).toEqual([
      { id, names: [name], state: 'running', image: APP_V1 },
    ]);
    expect(await client.listContainers({ labels: { ...LABELS, 'runbook.slot': 'green' } })).toEqual([]);

    await client.renameContainer(id, `${name}-old`);
    expect((await client.inspectContainer(id)).name).toBe(`${name}-old`);
    expect((await client.listContainers({ labels: LABELS }))[0]?.names).toEqual([`${name}-old`]);

    // The app traps SIGTERM and exits 0 well within the grace time (a SIGKILL would give 137).
    await client.stopContainer(id, 10);
    const stopped = await client.inspectContainer(id);
    expect(stopped.state).toMatchObject({ status: 'exited', running: false, exitCode: 0 });
    expect(await client.containerLogs(id)).toContain('got SIGTERM, stopping');
    await client.stopContainer(id, 1); // already stopped: not an error

    await client.removeContainer(id, { volumes: true });
    expect(await client.tryInspectContainer(id)).toBeUndefined();
    expect(await client.listContainers({ all: true, labels: LABELS })).toEqual([]);
  });

  it('waits for a container to exit and returns its exit code', async () => {
    const id = await client.createContainer({
      name: `rb-engine-${RUN}-exit`,
      image: APP_V1,
      networkMode: 'host',
      entrypoint: ['sh', '-c', 'echo bye; exit 5'],
      labels: LABELS,
    });
    await client.startContainer(id);
    expect(await client.waitContainer(id)).toBe(5);
    expect(await client.containerLogs(id)).toBe('bye\n');
    await client.removeContainer(id);
  });

  it('reports a missing container as a 404 DockerApiError with Docker’s message', async () => {
    const missing = `rb-engine-${RUN}-missing`;
    const err = await client.inspectContainer(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerApiError);
    expect(isNotFound(err)).toBe(true);
    expect(err).toMatchObject({ statusCode: 404, method: 'GET', path: `/v1.41/containers/${missing}/json` });
    expect((err as Error).message).toContain(`No such container: ${missing}`);
    const removeErr = await client.removeContainer(missing).catch((e: unknown) => e);
    expect(isNotFound(removeErr)).toBe(true);
  });

  it('never pulls on create: a missing image is a 404', async () => {
    const err = await client
      .createContainer({ name: `rb-engine-${RUN}-noimg`, image: `${image}:no-such-tag-${RUN}`, labels: LABELS })
      .catch((e: unknown) => e);
    expect(isNotFound(err)).toBe(true);
    expect((err as Error).message).toMatch(/No such image: runbook-test-app:no-such-tag-/);
  });

  it('fails a pull of an unreachable image with Docker’s message (registry 127.0.0.1:1, nothing leaves the host)', async () => {
    const err = await client.pullImage('127.0.0.1:1/none:tag', { onProgress: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerApiError);
    const e = err as DockerApiError;
    expect(e.dockerMessage).toMatch(/127\.0\.0\.1:1.*connection refused/);
    expect(e.message).toMatch(/^pulling 127\.0\.0\.1:1\/none:tag: /);
    expect(e.path).toBe('/v1.41/images/create?fromImage=127.0.0.1%3A1%2Fnone&tag=tag');
  });

  it('tags and removes an image tag, leaving the source image', async () => {
    const repo = `rb-engine-tag-${RUN}`;
    const source = await client.inspectImage(APP_V1);
    await client.tagImage(APP_V1, repo, 'candidate');
    const tagged = await client.inspectImage(`${repo}:candidate`);
    expect(tagged?.id).toBe(source?.id);
    expect(tagged?.repoTags).toEqual(expect.arrayContaining([APP_V1, `${repo}:candidate`]));
    await client.removeImage(`${repo}:candidate`);
    expect(await client.inspectImage(`${repo}:candidate`)).toBeUndefined();
    expect((await client.inspectImage(APP_V1))?.id).toBe(source?.id);
  });
});

describe('the sandbox dockerd through SSH', () => {
  it('reaches the remote socket over the sandbox sshd (streamlocal forwarding)', async () => {
    ssh = (await connectSandbox()).transport;
    const transport = ssh;
    const log = captureLogger();
    const viaSsh = await connectDocker(
      { kind: 'stream', label: `ssh://sandbox${docker.socket}`, open: () => transport.openUnixSocket(docker.socket) },
      log,
    );
    extraClients.push(viaSsh);
    expect(viaSsh.apiVersion).toBe('1.41');
    expect((await viaSsh.version()).engineVersion).toBe(client.server.engineVersion);
    expect(await viaSsh.inspectImage(APP_V1)).toMatchObject({ repoTags: expect.arrayContaining([APP_V1]) });
    expect(log.messages('debug')).toContain('docker: GET /v1.41/version → 200');
  });

  it('says which socket could not be opened on the remote side', async () => {
    const transport = ssh ?? (await connectSandbox()).transport;
    ssh = transport;
    const err = await connectDocker(
      { kind: 'stream', label: 'ssh missing socket', open: () => transport.openUnixSocket('/nonexistent/docker.sock') },
      captureLogger(),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toMatch(/could not open the Unix socket \/nonexistent\/docker\.sock/);
  });
});

describe('the sandbox dockerd over mutual TLS', () => {
  it('works with the sandbox CA and client certificate', async () => {
    const log = captureLogger();
    const tlsClient = await connectDocker(
      tcpEndpoint({ ca: read(docker.tls.ca), cert: read(docker.tls.cert), key: read(docker.tls.key) }),
      log,
    );
    extraClients.push(tlsClient);
    expect(tlsClient.apiVersion).toBe('1.41');
    expect((await tlsClient.version()).engineVersion).toBe(client.server.engineVersion);
    expect(log.messages('secret')).toContain(read(docker.tls.key));
  });

  it('refuses the daemon when its certificate is not signed by the given CA', async () => {
    const err = await connectDocker(
      tcpEndpoint({ ca: read(docker.tls.wrongCa), cert: read(docker.tls.cert), key: read(docker.tls.key) }),
      captureLogger(),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toMatch(
      /TLS verification failed \(\w+\) — the daemon’s TLS certificate is not trusted by the given CA/,
    );
    expect((err as Error).message).not.toMatch(/use-system-ca/);
  });

  it('is refused by the daemon with a client certificate from another CA', async () => {
    const err = await connectDocker(
      tcpEndpoint({ ca: read(docker.tls.ca), cert: read(docker.tls.wrongCert), key: read(docker.tls.wrongKey) }),
      captureLogger(),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toMatch(/could not talk to the Docker daemon at tcp:\/\/127\.0\.0\.1:\d+/);
    expect((err as Error).message).toMatch(/client certificate/);
  });

  it('refuses plain tcp:// without allowPlainTcp before opening any connection', async () => {
    const log = captureLogger();
    const err = await connectDocker(tcpEndpoint(), log).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err).not.toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toMatch(/has no TLS/);
    expect(log.messages('debug')).toEqual([]);

    // The same against a listener that counts connections: none is made.
    let connections = 0;
    const server = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await expect(connectDocker({ kind: 'tcp', host: '127.0.0.1', port }, captureLogger())).rejects.toThrow(
      /has no TLS/,
    );
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(connections).toBe(0);
  });
});
