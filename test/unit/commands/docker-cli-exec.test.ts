/** The docker CLI builders beside the compose ones: engine version, exec in a container, one-off run. */
import { describe, expect, it } from 'vitest';
import { dockerExecArgv, dockerRunArgv, dockerServerVersionArgv } from '../../../src/commands/docker-cli.js';

describe('docker exec, run and version argv', () => {
  it.each([
    ['server version', dockerServerVersionArgv(), ['docker', 'version', '--format', '{{.Server.Version}}']],
    ['exec, nothing extra', dockerExecArgv('db', ['pg_isready']), ['docker', 'exec', 'db', 'pg_isready']],
    [
      'exec with stdin and a secret by name',
      dockerExecArgv('shop-db-1', ['psql', '-X'], { stdin: true, envNames: ['PGPASSWORD'] }),
      ['docker', 'exec', '-i', '-e', 'PGPASSWORD', 'shop-db-1', 'psql', '-X'],
    ],
    [
      'exec with two names, no stdin',
      dockerExecArgv('c', ['env'], { envNames: ['A', 'B'] }),
      ['docker', 'exec', '-e', 'A', '-e', 'B', 'c', 'env'],
    ],
    [
      'run on the host network',
      dockerRunArgv('shop/api:v2', ['alembic', 'upgrade', 'head'], { network: 'host' }),
      ['docker', 'run', '--rm', '--network', 'host', 'shop/api:v2', 'alembic', 'upgrade', 'head'],
    ],
    ['run, default network', dockerRunArgv('busybox', ['true']), ['docker', 'run', '--rm', 'busybox', 'true']],
  ])('%s', (_name, argv, expected) => {
    expect(argv).toEqual(expected);
  });
});
