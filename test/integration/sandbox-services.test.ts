/**
 * The sandbox's deploy targets (bash test/sandbox/up.sh) answer as the deploy tests expect: dockerd on its unix
 * socket and on mutual-TLS TCP, the test app image (health, version, SIGTERM trap), nginx and the registry's auth.
 * Fails (never skips) when the sandbox, or one of these services, is not up.
 */
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SANDBOX_JSON } from './helpers/sandbox.js';

interface Services {
  docker: {
    socket: string;
    host: string;
    tcp: string;
    apiVersion: string;
    tls: { ca: string; cert: string; key: string; wrongCa: string; wrongCert: string; wrongKey: string };
  };
  app: { image: string; tags: string[] };
  nginx: { port: number; upstream: string; upstreamFile: string; test: string[]; reload: string[] };
  registry: { host: string; user: string; passwordFile: string; images: string[] };
}

const HINT = 'start it with: npm run sandbox:up (bash test/sandbox/up.sh)';

function services(): Services {
  if (!existsSync(SANDBOX_JSON))
    throw new Error(`the test sandbox is not running (${SANDBOX_JSON} is missing); ${HINT}`);
  const doc = JSON.parse(readFileSync(SANDBOX_JSON, 'utf8')) as Partial<Services>;
  for (const key of ['docker', 'app', 'nginx', 'registry'] as const) {
    if (!doc[key]) throw new Error(`the sandbox has no "${key}" section in ${SANDBOX_JSON}; ${HINT}`);
  }
  return doc as Services;
}

const sb = services();

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request to the Docker Engine API over the sandbox's unix socket. */
function dockerApi(method: string, path: string, body?: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        socketPath: sb.docker.socket,
        method,
        path: `/v${sb.docker.apiVersion}${path}`,
        headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
        timeout: 30_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`docker ${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** GET https://127.0.0.1:PORT/_ping on dockerd's TLS endpoint with the given CA and client certificate. */
function tlsPing(ca: string, cert: string, key: string): Promise<Reply> {
  const url = new URL(sb.docker.tcp.replace(/^tcp:/, 'https:'));
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: url.hostname,
        port: Number(url.port),
        path: '/_ping',
        ca: readFileSync(ca),
        cert: readFileSync(cert),
        key: readFileSync(key),
        timeout: 10_000,
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('TLS ping timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error())));
    });
  });
}

/** Poll fn until it returns a value (not undefined) or timeoutMs passes. */
async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms (last error: ${String(last)})`);
}

describe('sandbox dockerd', () => {
  it('answers /_ping on its unix socket with the recorded API version', async () => {
    const reply = await dockerApi('GET', '/_ping');
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('OK');
    expect(reply.headers['api-version']).toBe(sb.docker.apiVersion);
  });

  it('accepts the sandbox client certificate on tcp and refuses one from the wrong CA', async () => {
    const { ca, cert, key, wrongCa, wrongCert, wrongKey } = sb.docker.tls;
    expect((await tlsPing(ca, cert, key)).body).toBe('OK');
    await expect(tlsPing(ca, wrongCert, wrongKey)).rejects.toThrow();
    // The client side too: the server's certificate does not chain to the unrelated CA.
    await expect(tlsPing(wrongCa, cert, key)).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });

  it('has every test app variant, labelled with its version', async () => {
    expect(sb.app.tags).toEqual(
      expect.arrayContaining(['v1', 'v2', 'v3', 'degraded', 'never-healthy', 'crash', 'slow']),
    );
    for (const tag of sb.app.tags) {
      const reply = await dockerApi('GET', `/images/${sb.app.image}:${tag}/json`);
      expect(reply.status, `${sb.app.image}:${tag}`).toBe(200);
      const image = JSON.parse(reply.body) as { Config: { Labels: Record<string, string>; Healthcheck?: object } };
      expect(image.Config.Labels['org.opencontainers.image.version']).toBe(tag);
      expect(image.Config.Healthcheck).toBeDefined();
    }
  });
});

describe('the test app image', () => {
  it('v1 with host networking answers /health with its version and stops within 2 s on docker stop (exit 0)', async () => {
    const port = await freePort();
    const name = `rbsb-services-test-${process.pid}-${Date.now()}`;
    const created = await dockerApi('POST', `/containers/create?name=${name}`, {
      Image: `${sb.app.image}:v1`,
      Env: [`PORT=${port}`],
      Labels: { 'com.runbook.test': 'sandbox-services' },
      HostConfig: { NetworkMode: 'host' },
    });
    expect(created.status, created.body).toBe(201);
    const id = (JSON.parse(created.body) as { Id: string }).Id;
    try {
      expect((await dockerApi('POST', `/containers/${id}/start`)).status).toBe(204);
      const health = await eventually(
        async () => {
          const res = await fetch(`http://127.0.0.1:${port}/health`);
          return res.ok ? ((await res.json()) as { status: string; version: string }) : undefined;
        },
        10_000,
        `the app answering on 127.0.0.1:${port}`,
      );
      expect(health).toEqual({ status: 'ok', version: 'v1' });
      expect((await (await fetch(`http://127.0.0.1:${port}/version`)).text()).trim()).toBe('v1');
      expect(await (await fetch(`http://127.0.0.1:${port}/cgi-bin/echo?hello=sandbox`)).text()).toBe('hello=sandbox\n');

      // Exit code 0 (not 137 after the 10 s grace) proves the entry script handles SIGTERM.
      const stopped = await dockerApi('POST', `/containers/${id}/stop?t=10`);
      expect(stopped.status).toBe(204);
      const state = JSON.parse((await dockerApi('GET', `/containers/${id}/json`)).body) as {
        State: { ExitCode: number };
      };
      expect(state.State.ExitCode).toBe(0);
    } finally {
      await dockerApi('DELETE', `/containers/${id}?force=true`);
    }
  });
});

describe('sandbox nginx', () => {
  it('answers /nginx-health itself', async () => {
    const res = await fetch(`http://127.0.0.1:${sb.nginx.port}/nginx-health`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    expect(sb.nginx.upstream).toBe('runbook_app');
    expect(existsSync(sb.nginx.upstreamFile)).toBe(true);
  });
});

describe('sandbox registry', () => {
  const catalog = `http://${sb.registry.host}/v2/_catalog`;

  it('refuses an unauthenticated catalog request', async () => {
    const res = await fetch(catalog);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it('refuses a wrong password and accepts the right credentials', async () => {
    const password = readFileSync(sb.registry.passwordFile, 'utf8').trim();
    const auth = (user: string, pass: string) => ({
      authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`,
    });
    expect((await fetch(catalog, { headers: auth(sb.registry.user, `${password}x`) })).status).toBe(401);
    const res = await fetch(catalog, { headers: auth(sb.registry.user, password) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { repositories: string[] }).repositories).toContain('runbook-test-app');
    const tags = await fetch(`http://${sb.registry.host}/v2/runbook-test-app/tags/list`, {
      headers: auth(sb.registry.user, password),
    });
    expect(((await tags.json()) as { tags: string[] }).tags).toEqual(expect.arrayContaining(['v2', 'v3']));
    expect(sb.registry.images).toEqual([
      `${sb.registry.host}/runbook-test-app:v2`,
      `${sb.registry.host}/runbook-test-app:v3`,
    ]);
  });
});
