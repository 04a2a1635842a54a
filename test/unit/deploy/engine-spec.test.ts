/** The engine driver's container: spec() from the service config and its secret inputs, and the create body. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loader.js';
import type { Service } from '../../../src/config/schema.js';
import { UserError } from '../../../src/core/errors.js';
import {
  containerEnv,
  parseEnvFile,
  readEnvFile,
  secretEnvVars,
  secretValues,
} from '../../../src/deploy/engine/env.js';
import { type ServiceDeploy, spec, withEnvFile } from '../../../src/deploy/engine/replicas.js';
import { createContainerBody } from '../../../src/docker/wire.js';
import type { ExecResult, Transport } from '../../../src/transports/types.js';

function serviceOf(lines: string): Service {
  const body = lines
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
  const text = `app: shop\nenvironments:\n  production:\n    targets: [{ name: web1, local: true }]\nservices:\n  api:\n    image: acme/api\n${body}\n`;
  const s = parseConfig(text, 'runbook.yml').services?.api;
  if (!s) throw new Error('no service');
  return s;
}

/** A transport whose `cat` answers from `files`; it records the commands. */
function catTransport(files: Record<string, string>): Transport & { argvs: string[][] } {
  const argvs: string[][] = [];
  return {
    name: 'web1',
    argvs,
    exec: async (argv): Promise<ExecResult> => {
      argvs.push([...argv]);
      const text = files[argv[2] ?? ''];
      return text === undefined
        ? { code: 1, stdout: '', stderr: `cat: ${argv[2]}: No such file or directory\n` }
        : { code: 0, stdout: text, stderr: '' };
    },
    upload: async () => undefined,
    download: async () => {
      throw new Error('not used');
    },
    connectTcp: async () => {
      throw new Error('not used');
    },
    close: async () => undefined,
  };
}

function deployOf(service: Service, extra: Partial<ServiceDeploy> = {}): ServiceDeploy {
  return {
    config: { app: 'shop' },
    environment: 'production',
    target: { name: 'web1', transport: catTransport({}), env: {} },
    name: 'api',
    service,
    release: 'r1',
    image: 'acme/api:v1',
    log: { addSecret: () => undefined },
    ...extra,
  } as unknown as ServiceDeploy;
}

const FULL = `
port: 8000
host-ports: 18000-18009
env: { LOG_LEVEL: info, FROM_FILE: config-wins }
secret-env: { DATABASE_URL: SHOP_DB_URL, SECRET_KEY: SECRET_KEY }
env-file: /etc/shop/api.env
volumes: [data:/var/lib/app, /srv/uploads:/app/uploads:ro]
networks: [shop-internal, shop-db]
labels: { com.example.team: shop }
restart: on-failure:5
user: "1000:1000"
memory: 512MiB
cpus: 1.5
log: { driver: json-file, options: { max-size: 10m } }
extra-hosts: [host.docker.internal:host-gateway]
`;

describe('spec() and the create body', () => {
  it('carries every container option into the Engine API create body', () => {
    const d = deployOf(serviceOf(FULL), {
      secrets: { SHOP_DB_URL: 'postgres://u:pw@db/shop', SECRET_KEY: 'k3y-v4lue' },
      fileEnv: { FROM_FILE: 'file', ONLY_FILE: 'x=y "quoted"' },
    });
    const body = createContainerBody(spec(d, 0, 18000));
    expect(body).toEqual({
      Image: 'acme/api:v1',
      Env: [
        'FROM_FILE=config-wins',
        'ONLY_FILE=x=y "quoted"',
        'LOG_LEVEL=info',
        'DATABASE_URL=postgres://u:pw@db/shop',
        'SECRET_KEY=k3y-v4lue',
      ],
      Labels: {
        'com.example.team': 'shop',
        'io.runbook.app': 'shop',
        'io.runbook.env': 'production',
        'io.runbook.service': 'api',
        'io.runbook.release': 'r1',
        'io.runbook.slot': '0',
        'io.runbook.port': '18000',
      },
      User: '1000:1000',
      ExposedPorts: { '8000/tcp': {} },
      StopTimeout: 10,
      HostConfig: {
        NetworkMode: 'shop-internal',
        PortBindings: { '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: '18000' }] },
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 5 },
        Binds: ['data:/var/lib/app', '/srv/uploads:/app/uploads:ro'],
        ExtraHosts: ['host.docker.internal:host-gateway'],
        Memory: 512 * 2 ** 20,
        NanoCpus: 1_500_000_000,
        LogConfig: { Type: 'json-file', Config: { 'max-size': '10m' } },
      },
      // On its first network it answers to the service's name; the second is joined before start (startReplica).
      NetworkingConfig: { EndpointsConfig: { 'shop-internal': { Aliases: ['api'] } } },
    });
    expect(spec(d, 0, 18000)).toMatchObject({ extraNetworks: ['shop-db'], networkAliases: ['api'] });
  });

  it('keeps today’s container for a service without the new options (bridge, unless-stopped)', () => {
    const body = createContainerBody(spec(deployOf(serviceOf('env: { A: "1" }')), 1, undefined));
    expect(body.HostConfig).toEqual({ NetworkMode: 'bridge', RestartPolicy: { Name: 'unless-stopped' } });
    expect(body.Env).toEqual(['A=1']);
    expect(body.User).toBeUndefined();
  });

  it('sets the port variable last with host networking', () => {
    const d = deployOf(serviceOf('network: host\nsecret-env: [TOKEN]'), { secrets: { TOKEN: 'tok-123' } });
    expect(spec(d, 0, 18001).env).toEqual({ TOKEN: 'tok-123', PORT: '18001' });
    expect(spec(d, 0, 18001).networkMode).toBe('host');
  });

  it('refuses to build a container whose secret value was not handed down, naming the variable only', () => {
    const d = deployOf(serviceOf('secret-env: { DATABASE_URL: SHOP_DB_URL }'), { secrets: {} });
    expect(() => spec(d, 0, undefined)).toThrow(UserError);
    expect(() => spec(d, 0, undefined)).toThrow(/SHOP_DB_URL/);
    expect(() => containerEnv('web1/api', serviceOf('env-file: /x.env'), {}, undefined)).toThrow(/was not read/);
  });

  it('refuses a malformed bind and a non-integer limit in the create body', () => {
    expect(() => createContainerBody({ name: 'c', image: 'a:1', binds: ['data:app'] })).toThrow(/invalid volume/);
    expect(() => createContainerBody({ name: 'c', image: 'a:1', memoryBytes: 1.5 })).toThrow(/memory/);
    expect(() => createContainerBody({ name: 'c', image: 'a:1', nanoCpus: 0 })).toThrow(/CPU/);
  });
});

describe('secret-env values', () => {
  it('reads each runner variable once, masks it, and names the unset or empty ones', () => {
    const masked: string[] = [];
    const services = [serviceOf('secret-env: [A, B]'), serviceOf('secret-env: { X: A, Y: C }')];
    expect(secretEnvVars(services)).toEqual(['A', 'B', 'C']);
    const r = secretValues(services, { A: 'alpha-secret', B: '  ', OTHER: 'no' }, { addSecret: (v) => masked.push(v) });
    expect(r).toEqual({ values: { A: 'alpha-secret' }, missing: ['B', 'C'] });
    expect(masked).toEqual(['alpha-secret']);
  });
});

describe('env-file', () => {
  it("parses docker's --env-file format: no quote processing, comments and blank lines skipped", () => {
    const text = '# comment\n\nA=1\r\n  B=two \nC="quoted"\nD=\nE=x=y#not-a-comment\n';
    expect(parseEnvFile(text, 'f')).toEqual({ A: '1', B: 'two ', C: '"quoted"', D: '', E: 'x=y#not-a-comment' });
    expect(() => parseEnvFile('B = two\n', 'f')).toThrow('f line 1: expected KEY=VALUE');
  });

  it('refuses a line without "=" by its number, never its text', () => {
    // The whole message: the line (which may be a pasted secret) is not in it.
    expect(() => parseEnvFile('A=1\nhunter2\n', 'env-file /x')).toThrow(
      /^env-file \/x line 2: expected KEY=VALUE \(a name without spaces, "=", then the value as it is\)$/,
    );
  });

  it('reads the file on the target through cat, masking its values; a missing file names the path', async () => {
    const masked: string[] = [];
    const t = catTransport({ '/etc/shop/api.env': 'DB_PASSWORD=pa55word\nEMPTY=\n' });
    expect(await readEnvFile(t, '/etc/shop/api.env', { addSecret: (v) => masked.push(v) })).toEqual({
      DB_PASSWORD: 'pa55word',
      EMPTY: '',
    });
    expect(t.argvs).toEqual([['cat', '--', '/etc/shop/api.env']]);
    expect(masked).toEqual(['pa55word']);
    await expect(readEnvFile(t, '/etc/missing.env', { addSecret: () => undefined })).rejects.toThrow(
      'env-file /etc/missing.env does not exist on web1',
    );
  });

  it('withEnvFile reads it once into the deploy context (and not at all without env-file)', async () => {
    const t = catTransport({ '/e.env': 'A=1\n' });
    const d = deployOf(serviceOf('env-file: /e.env'), { target: { name: 'web1', transport: t, env: {} } });
    const read = await withEnvFile(d);
    expect(read.fileEnv).toEqual({ A: '1' });
    expect(await withEnvFile(read)).toBe(read);
    const plain = deployOf(serviceOf('replicas: 1'));
    expect(await withEnvFile(plain)).toBe(plain);
    expect(t.argvs).toHaveLength(1);
  });
});
