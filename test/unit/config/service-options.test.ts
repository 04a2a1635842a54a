/** services.<name>: secret-env, env-file, volumes, networks, labels, restart, user, memory, cpus, log, extra-hosts. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loader.js';
import { configError, minimal } from './helpers.js';

/** A config whose service `api` has `lines` (YAML at the service's indentation) beside its image. */
function service(lines: string): string {
  const body = lines
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
  return minimal(`services:\n  api:\n    image: acme/api\n${body}\n`);
}

const api = (lines: string) => parseConfig(service(lines), 'runbook.yml').services?.api;

describe('services.<name> container options', () => {
  it('parses every option into its typed form', () => {
    const s = api(`
secret-env: [DATABASE_URL, SECRET_KEY]
env-file: /etc/shop/api.env
volumes: [data:/var/lib/app, /srv/uploads:/app/uploads:ro, "/srv/cache:/cache:rw"]
networks: [shop-internal]
labels: { com.example.team: shop }
restart: on-failure:5
user: "1000:1000"
memory: 512MiB
cpus: 1.5
log: { driver: json-file, options: { max-size: 10m, max-file: "3" } }
extra-hosts: [db.internal:10.0.0.7, host.docker.internal:host-gateway, v6.internal:fd00::1]
`);
    expect(s).toMatchObject({
      'secret-env': { DATABASE_URL: 'DATABASE_URL', SECRET_KEY: 'SECRET_KEY' },
      'env-file': '/etc/shop/api.env',
      volumes: [
        { source: 'data', target: '/var/lib/app', readOnly: false },
        { source: '/srv/uploads', target: '/app/uploads', readOnly: true },
        { source: '/srv/cache', target: '/cache', readOnly: false },
      ],
      networks: ['shop-internal'],
      labels: { 'com.example.team': 'shop' },
      restart: { name: 'on-failure', maxRetries: 5 },
      user: '1000:1000',
      memory: 512 * 2 ** 20,
      cpus: 1.5,
      log: { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } },
      'extra-hosts': ['db.internal:10.0.0.7', 'host.docker.internal:host-gateway', 'v6.internal:fd00::1'],
    });
  });

  it('maps secret-env container names to runner names, and defaults restart to unless-stopped', () => {
    const s = api('secret-env: { DATABASE_URL: SHOP_DB_URL }');
    expect(s?.['secret-env']).toEqual({ DATABASE_URL: 'SHOP_DB_URL' });
    expect(s?.restart).toEqual({ name: 'unless-stopped' });
    expect(api('restart: "no"')?.restart).toEqual({ name: 'no' });
    expect(api('restart: always')?.restart).toEqual({ name: 'always' });
  });

  it.each([
    ['secret-env: [database_url]', 'services.api.secret-env', 'NAME of an environment variable'],
    ['secret-env: "DATABASE_URL"', 'services.api.secret-env', 'expected a list of runner environment variable NAMES'],
    ['secret-env: [A, A]', 'services.api.secret-env[1]', 'duplicate variable "A"'],
    ['secret-env: { DB: "postgres://u:p@h/db" }', 'services.api.secret-env.DB', 'never the value itself'],
    ['env: { A: x }\nsecret-env: [A]', 'services.api.secret-env.A', 'A is also in env'],
    ['network: host\nsecret-env: [PORT]', 'services.api.secret-env.PORT', 'port-env variable'],
    ['env-file: .env', 'services.api.env-file', 'expected an absolute path'],
    ['volumes: [data]', 'services.api.volumes[0]', 'SOURCE:CONTAINER-PATH[:ro|rw]'],
    ['volumes: ["data:app"]', 'services.api.volumes[0]', 'the container path "app" must be absolute'],
    ['volumes: ["data:/app:rx"]', 'services.api.volumes[0]', 'the mode "rx" must be ro or rw'],
    ['volumes: ["../x:/app"]', 'services.api.volumes[0]', 'neither a volume name'],
    ['volumes: ["/a/../b:/app"]', 'services.api.volumes[0]', 'neither a volume name'],
    ['volumes: [a:/x, b:/x]', 'services.api.volumes[1]', 'duplicate container path "/x"'],
    ['network: host\nnetworks: [shop]', 'services.api.networks', 'networks apply to network: bridge'],
    ['networks: [host]', 'services.api.networks[0]', 'network modes'],
    ['networks: [a, a]', 'services.api.networks[1]', 'duplicate network "a"'],
    ['networks: ["-x"]', 'services.api.networks[0]', 'existing Docker network'],
    ['labels: { io.runbook.release: x }', 'services.api.labels["io.runbook.release"]', "the toolkit's own"],
    ['labels: { "a b": x }', 'services.api.labels', 'expected a label name'],
    ['restart: sometimes', 'services.api.restart', 'expected no, on-failure, on-failure:N'],
    ['restart: always:3', 'services.api.restart', 'expected no, on-failure, on-failure:N'],
    ['user: "root; rm"', 'services.api.user', 'expected a user like app, 1000 or 1000:1000'],
    ['memory: 512', 'services.api.memory', 'expected a size with a unit'],
    ['memory: 1MiB', 'services.api.memory', 'at least 6MiB'],
    ['cpus: 0', 'services.api.cpus', 'from 0.01 to 256'],
    ['cpus: 300', 'services.api.cpus', 'from 0.01 to 256'],
    ['cpus: "2"', 'services.api.cpus', 'from 0.01 to 256'],
    ['log: { options: { max-size: 10m } }', 'services.api.log.driver', 'logging driver name'],
    ['log: { driver: local, options: { max-file: 3 } }', 'services.api.log.options.max-file', 'quote numbers'],
    ['log: { driver: local, level: x }', 'services.api.log', 'level'],
    ['extra-hosts: [db.internal]', 'services.api.extra-hosts[0]', 'expected NAME:ADDRESS'],
    ['extra-hosts: ["db.internal:not-an-ip"]', 'services.api.extra-hosts[0]', 'expected NAME:ADDRESS'],
    ['extra-hosts: ["10.0.0.1:10.0.0.2"]', 'services.api.extra-hosts[0]', 'expected NAME:ADDRESS'],
  ])('refuses %j at %s', (lines, path, message) => {
    const err = configError(service(lines));
    expect(err.message).toContain(path);
    expect(err.message).toContain(message);
  });
});
