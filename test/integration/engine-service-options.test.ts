/**
 * services.<name> container options against the sandbox's real dockerd (20.10, API 1.41): the create body spec()
 * builds is accepted, and the container sees its secret-env and env-file values, its volumes, user, extra hosts,
 * labels and limits. Host networking, nothing pulled; the container prints what it sees and exits.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loader.js';
import { type ServiceDeploy, spec } from '../../src/deploy/engine/replicas.js';
import { connectDocker, type DockerClient } from '../../src/docker/index.js';
import { captureLogger } from './helpers/capture-logger.js';
import { SANDBOX_JSON } from './helpers/sandbox.js';

function sandbox(): { socket: string; image: string } {
  if (!existsSync(SANDBOX_JSON)) throw new Error(`the test sandbox is not running (${SANDBOX_JSON} is missing)`);
  const doc = JSON.parse(readFileSync(SANDBOX_JSON, 'utf8')) as {
    docker?: { socket: string };
    app?: { image: string };
  };
  if (!doc.docker || !doc.app) throw new Error(`the sandbox dockerd or its app image is missing (${SANDBOX_JSON})`);
  return { socket: doc.docker.socket, image: doc.app.image };
}

const { socket, image } = sandbox();
const RUN = randomBytes(4).toString('hex');
const HOST_DIR = `/tmp/runbook-service-options-${RUN}`;
let client: DockerClient;
const created: string[] = [];

beforeAll(async () => {
  client = await connectDocker({ kind: 'unix', path: socket }, captureLogger());
  mkdirSync(HOST_DIR, { recursive: true });
  chmodSync(HOST_DIR, 0o755);
  writeFileSync(`${HOST_DIR}/greeting`, 'hello from the host\n');
});

afterAll(async () => {
  for (const id of created) await client.removeContainer(id, { force: true }).catch(() => undefined);
  await client?.close();
  // The client has no volume API: the named volume the container made is removed with the docker CLI.
  execFileSync('docker', ['-H', `unix://${socket}`, 'volume', 'rm', '-f', `runbook-opt-${RUN}`], { stdio: 'ignore' });
  rmSync(HOST_DIR, { recursive: true, force: true });
});

describe('engine service options on a real dockerd', () => {
  it('creates and runs the container spec() builds, with every option applied', async () => {
    const text = `app: shop
environments:
  production:
    targets: [{ name: web1, local: true }]
services:
  api:
    image: ${image}
    network: host
    env: { PLAIN: plain-value }
    secret-env: { DATABASE_URL: SHOP_DB_URL }
    volumes: [runbook-opt-${RUN}:/data, ${HOST_DIR}:/from-host:ro]
    labels: { com.example.team: shop }
    restart: on-failure:2
    user: "1000:1000"
    memory: 64MiB
    cpus: 0.5
    log: { driver: json-file, options: { max-size: 1m } }
    extra-hosts: [db.internal:127.0.0.9]
    command: [sh, -c, 'echo "db=$DATABASE_URL file=$FROM_FILE plain=$PLAIN uid=$(id -u)"; cat /from-host/greeting; grep db.internal /etc/hosts; touch /from-host/x 2>/dev/null && echo writable || echo read-only']
`;
    const service = parseConfig(text, 'runbook.yml').services?.api;
    if (!service) throw new Error('no service');
    const d = {
      config: { app: 'shop' },
      environment: `it-${RUN}`,
      target: { name: 'web1' },
      name: 'api',
      service,
      release: `r-${RUN}`,
      image: `${image}:v1`,
      secrets: { SHOP_DB_URL: 'postgres://u:pw@db/shop' },
      fileEnv: { FROM_FILE: 'from-the-env-file' },
    } as unknown as ServiceDeploy;
    const id = await client.createContainer(spec(d, 0, undefined));
    created.push(id);
    await client.startContainer(id);
    expect(await client.waitContainer(id)).toBe(0);
    const logs = await client.containerLogs(id);
    expect(logs).toContain('db=postgres://u:pw@db/shop file=from-the-env-file plain=plain-value uid=1000');
    expect(logs).toContain('hello from the host');
    expect(logs).toMatch(/127\.0\.0\.9\s+db\.internal/);
    expect(logs).toContain('read-only');
    const info = await client.inspectContainer(id);
    expect(info.labels['com.example.team']).toBe('shop');
    expect(info.labels['io.runbook.release']).toBe(`r-${RUN}`);
  });
});
