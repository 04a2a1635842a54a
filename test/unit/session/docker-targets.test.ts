/**
 * A `docker:` target as the session hands it to deploy and rollback (EnvironmentSession.deployTargets): its Engine
 * API (opened once, closed with the session), no shell (a command or a file asked of it throws NoShellError naming
 * it), and TCP connections to its address opened where nginx's requests come from — the load balancer's host, or
 * without a load balancer the runner itself (a real socket on 127.0.0.1 here).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { StreamLogger } from '../../../src/core/logger.js';
import { Masker } from '../../../src/core/masker.js';
import { NoShellError } from '../../../src/deploy/fleet/balancer.js';
import type { Connector } from '../../../src/session/connector.js';
import { EnvironmentSession } from '../../../src/session/session.js';
import { recordingConnector, World } from '../flows/world.js';
import { memoryRunner } from '../helpers/runner.js';

const TLS = '{ ca-env: DOCKER_TLS_CA, cert-env: DOCKER_TLS_CERT, key-env: DOCKER_TLS_KEY }';
let dir: string;
let echo: Server;
let port: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'session-docker-'));
  echo = createServer((s) => s.end('hello'));
  port = await new Promise<number>((resolve) =>
    echo.listen(0, '127.0.0.1', () => resolve((echo.address() as { port: number }).port)),
  );
});

afterAll(async () => {
  await new Promise((r) => echo.close(r));
  rmSync(dir, { recursive: true, force: true });
});

/** lb1 (local, the primary) and api1 (docker, tcp://`host`:2376); with `lb`, lb1 is the load balancer with nginx. */
function config(o: { lb: boolean; host: string }): string {
  const proxy = `  proxy:
    nginx: { upstream-file: /etc/nginx/conf.d/api.conf, upstream: api, test: [nginx, -t], reload: [nginx, -s, reload] }
`;
  return `app: shop
environments:
  production:
    targets:
      - { name: lb1, local: true, roles: [lb] }
      - { name: api1, roles: [web], docker: { host: "tcp://${o.host}:2376", tls: ${TLS} } }
${o.lb ? '    load-balancer: lb1\n' : ''}services:
  api: { image: ghcr.io/acme/api, roles: [web], network: host, host-ports: 18000-18009 }
strategy:
  type: rolling
${o.lb ? proxy : ''}`;
}

/** The world's connector, with docker: targets' engines (the world's fake engine of that name), closes recorded. */
function connector(world: World): Connector {
  return {
    ...recordingConnector(world),
    dockerEngine: async (target) => {
      world.connector.push(`docker engine ${target.name}`);
      const engine = world.host(target.name).engine;
      return Object.assign(engine, {
        close: async () => {
          world.connector.push(`close docker engine ${target.name}`);
        },
      });
    },
  };
}

/** What `call` fails with, whether it throws or rejects. */
async function refusal(call: () => Promise<unknown> | undefined): Promise<unknown> {
  try {
    await call();
  } catch (err) {
    return err;
  }
  return undefined;
}

async function open(text: string, world: World, conn: Connector = connector(world)) {
  const path = join(dir, `runbook-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(path, text);
  const { runner } = memoryRunner();
  const log = new StreamLogger({ sink: () => {}, masker: new Masker(), mode: 'actions', debug: false });
  const ctx = { runner, log, clock: world.clock(), signal: new AbortController().signal };
  return EnvironmentSession.open(ctx, { config: path, environment: 'production' }, conn);
}

describe('EnvironmentSession.deployTargets with a docker: target', () => {
  it('behind a load balancer: its Engine API, connections from the balancer to its address, no shell', async () => {
    const world = new World();
    world.host('lb1').transport.busyPorts.add(18003);
    const session = await open(config({ lb: true, host: '198.18.7.11' }), world);
    const targets = await session.deployTargets('engine', 'rolling');
    const api1 = targets.find((t) => t.name === 'api1');
    expect(api1?.docker).toBe(world.host('api1').engine);
    expect(api1?.env).toEqual({});
    expect(api1?.balancer?.address).toBe('198.18.7.11');
    // A port of api1 is probed from lb1, at api1's address (as nginx on lb1 reaches it).
    await (await api1?.transport.connectTcp('127.0.0.1', 18003))?.destroy();
    await api1?.probe?.connectTcp('127.0.0.1', 18003).then((s) => s.destroy());
    expect(world.tcp).toEqual([
      { target: 'lb1', address: '198.18.7.11:18003', outcome: 'http' },
      { target: 'lb1', address: '198.18.7.11:18003', outcome: 'http' },
    ]);
    // No shell: every command or file refused, naming the target; nothing reached lb1's shell for it.
    const refusals = await Promise.all([
      refusal(() => api1?.transport.exec(['cat', '/etc/shop/api.env'])),
      refusal(() => api1?.transport.upload('/tmp/x', Readable.from(['x']))),
      refusal(() => api1?.probe?.exec(['true'])),
    ]);
    for (const err of refusals) expect(err).toBeInstanceOf(NoShellError);
    expect((refusals[0] as Error).message).toBe(
      'api1 is a docker: target: there is no shell to run commands (only its Engine API)',
    );
    expect((refusals[1] as Error).message).toBe(
      'api1 is a docker: target: there is no shell to write /tmp/x (only its Engine API)',
    );
    expect(world.execs).toEqual([]);
    // lb1 runs no service: its engine is not opened (a load balancer needs no Docker).
    expect([...world.connector].sort()).toEqual(['docker engine api1', 'shell lb1']);
    await session.close();
    expect(world.connector).toContain('close docker engine api1');
  });

  it('without a load balancer: connections straight from the runner to its address', async () => {
    const world = new World();
    const session = await open(config({ lb: false, host: '127.0.0.1' }), world);
    const api1 = (await session.deployTargets('engine', 'rolling')).find((t) => t.name === 'api1');
    expect(api1?.balancer).toBeUndefined();
    const socket = await api1?.transport.connectTcp('127.0.0.1', port);
    const text = await new Promise<string>((resolve) => {
      let got = '';
      socket?.on('data', (d: Buffer) => {
        got += d.toString();
      });
      socket?.on('end', () => resolve(got));
    });
    expect(text).toBe('hello');
    expect(world.tcp).toEqual([]);
    expect(await refusal(() => api1?.transport.exec(['true']))).toBeInstanceOf(NoShellError);
    await session.close();
  });

  it('refuses the compose and swarm drivers before opening anything: they need a shell on the host', async () => {
    const world = new World();
    const session = await open(config({ lb: false, host: '198.18.7.11' }), world);
    const err = await session.deployTargets('compose', 'recreate').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(
      'target api1: a docker: target (tcp://198.18.7.11:2376) has only its Engine API, and the compose driver needs a shell on the host; deploy it with the engine driver, or make it an ssh target with docker-socket',
    );
    await expect(session.deployTargets('swarm')).rejects.toThrow(/the swarm driver needs a shell on the host/);
    expect(world.connector).toEqual([]);
  });

  it('refuses a docker: target when the connector cannot open one, naming it', async () => {
    const world = new World();
    const session = await open(config({ lb: false, host: '198.18.7.11' }), world, recordingConnector(world));
    await expect(session.deployTargets('engine', 'rolling')).rejects.toThrow(
      'target api1: this connector cannot open a docker: target',
    );
    await session.close();
  });
});
