import { describe, expect, it } from 'vitest';
import { composePs, composePull, composeRun, composeUp } from '../../../src/commands/compose.js';
import { dockerServerVersionArgv } from '../../../src/commands/docker-cli.js';
import { catArgv, mkdirExclusiveArgv, renameArgv, writeSyncedArgv } from '../../../src/commands/files.js';
import { parsePids, workersArgv } from '../../../src/commands/nginx.js';
import { composeVersionArgv, dfArgv, parseDf } from '../../../src/commands/target-facts.js';
import type { ComposeConfig } from '../../../src/config/schema.js';
import { containerName } from '../../../src/deploy/engine/labels.js';

const v2: ComposeConfig = {
  command: ['docker', 'compose'],
  directory: '/opt/shop',
  files: ['docker-compose.prod.yml'],
  project: 'shop',
  'env-file': '.env.production',
  'version-env': 'APP_VERSION',
  pull: true,
};
const v1: ComposeConfig = {
  command: ['docker-compose'],
  directory: '/opt/shop',
  'version-env': 'APP_VERSION',
  pull: false,
};

describe('compose argv', () => {
  it.each([
    [
      'pull (v2)',
      composePull(v2, ['api']),
      'docker compose -p shop -f docker-compose.prod.yml --env-file .env.production pull api',
    ],
    ['up --no-deps (v1)', composeUp(v1, ['api']), 'docker-compose up -d --no-deps api'],
    [
      'up recreate + scale',
      composeUp(v1, ['api'], { forceRecreate: true, scale: { api: 2 } }),
      'docker-compose up -d --no-deps --force-recreate --scale api=2 api',
    ],
    [
      'ps -q',
      composePs(v2, 'web'),
      'docker compose -p shop -f docker-compose.prod.yml --env-file .env.production ps -q web',
    ],
    [
      'run --rm',
      composeRun(v1, 'api', ['alembic', 'upgrade', 'head']),
      'docker-compose run --rm --no-deps -T api alembic upgrade head',
    ],
  ])('%s', (_name, argv, expected) => {
    expect(argv).toEqual(expected.split(' '));
  });
});

describe('host and file argv', () => {
  it.each([
    [dfArgv(['/', '/var/lib/docker']), ['df', '-P', '-k', '--', '/', '/var/lib/docker']],
    [dockerServerVersionArgv(), ['docker', 'version', '--format', '{{.Server.Version}}']],
    [composeVersionArgv(['docker-compose']), ['docker-compose', 'version', '--short']],
    [catArgv('-x'), ['cat', '--', '-x']],
    [mkdirExclusiveArgv('/s/lock'), ['mkdir', '--', '/s/lock']],
    [renameArgv('a', 'b'), ['mv', '-f', '--', 'a', 'b']],
    [writeSyncedArgv('/s/f.tmp'), ['dd', 'of=/s/f.tmp', 'conv=fsync', 'status=none']],
    [workersArgv(42), ['ps', '-o', 'pid=', '--ppid', '42']],
  ])('%j', (argv, expected) => {
    expect(argv).toEqual(expected);
  });

  it('parses df -P output, numbers read from the end of the line', () => {
    const out =
      'Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/vda 1000 250 750 25% /\nmy fs 2000 1000 1000 50% /data\n';
    expect(parseDf(out, ['/', '/data'])).toEqual([
      { path: '/', mount: '/', totalBytes: 1024000, availableBytes: 768000, freePercent: 75 },
      { path: '/data', mount: '/data', totalBytes: 2048000, availableBytes: 1024000, freePercent: 50 },
    ]);
  });
});

describe('nginx upstream and replica naming', () => {
  it('parses worker pids', () => {
    expect(parsePids('  101\n 102\n\n')).toEqual([101, 102]);
  });

  it('names containers by app, env, service, release and slot', () => {
    expect(containerName({ app: 'shop', env: 'prod', service: 'api' }, '20261123T131500Z-v2', 1)).toBe(
      'shop-prod-api-20261123T131500Z-v2-1',
    );
  });
});
