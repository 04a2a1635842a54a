/** Which variables of a compose service are secret: env_file keys, interpolated and passed-through ones. */
import { describe, expect, it } from 'vitest';
import { type ComposeConfig, composeSchema } from '../../../src/config/schema-services.js';
import { UserError } from '../../../src/core/errors.js';
import {
  composeSecretKeys,
  envFileKeys,
  envFilePaths,
  interpolatedKeys,
} from '../../../src/deploy/compose/secret-keys.js';
import { maskFileValue } from '../../../src/deploy/engine/env.js';
import { type ExecRecord, RecordingTransport } from '../flows/recording-transport.js';

/** A target whose files are `files` (absolute path → text); `log.execs` records what was read. */
function target(files: Record<string, string>): { t: RecordingTransport; log: { execs: ExecRecord[] } } {
  const log = { execs: [] as ExecRecord[], tcp: [] };
  const t = new RecordingTransport('web1', log);
  for (const [path, text] of Object.entries(files)) t.fs.write(path, text);
  return { t, log };
}

const composeOf = (extra: Record<string, unknown> = {}): ComposeConfig =>
  composeSchema.parse({ directory: '/srv/shop', ...extra });

const sorted = (keys: Set<string>) => [...keys].sort();

describe('envFilePaths', () => {
  it('reads a string, a list of strings and a list of {path}', () => {
    expect(envFilePaths({ env_file: 'app.env' })).toEqual(['app.env']);
    expect(envFilePaths({ env_file: ['a.env', '/etc/b.env'] })).toEqual(['a.env', '/etc/b.env']);
    expect(envFilePaths({ env_file: [{ path: 'a.env', required: false }, 'b.env'] })).toEqual(['a.env', 'b.env']);
  });

  it('is empty without env_file, with null, and skips entries without a path', () => {
    expect(envFilePaths({})).toEqual([]);
    expect(envFilePaths({ env_file: null })).toEqual([]);
    expect(envFilePaths({ env_file: [{ required: true }, 3] })).toEqual([]);
  });
});

describe('interpolatedKeys', () => {
  it('map form: interpolated and passed-through (null) keys, not literals', () => {
    expect(
      interpolatedKeys({
        environment: { DB_PASSWORD: `\${DB_PASSWORD}`, TOKEN: 'x-$TOKEN', API_KEY: null, MODE: 'prod', PORT: 8080 },
      }),
    ).toEqual(['DB_PASSWORD', 'TOKEN', 'API_KEY']);
  });

  it(`list form: KEY=\${X} and a bare KEY, not KEY=literal`, () => {
    expect(interpolatedKeys({ environment: [`DB_PASSWORD=\${DB_PASSWORD:-x}`, 'API_KEY', 'MODE=prod'] })).toEqual([
      'DB_PASSWORD',
      'API_KEY',
    ]);
  });

  it('is empty without environment', () => {
    expect(interpolatedKeys({})).toEqual([]);
    expect(interpolatedKeys({ environment: null })).toEqual([]);
  });
});

describe('envFileKeys', () => {
  it('reads KEY=, export KEY=, skipping comments and blank lines, with CRLF', () => {
    const text =
      '# a comment\r\nDB_URL=postgres://u:p@h/db\r\n\r\nexport SECRET_KEY=s3cr3t\r\n  # indented comment\n  SPACED = v\nBARE\n=nokey\n';
    expect(envFileKeys(text)).toEqual(['DB_URL', 'SECRET_KEY', 'SPACED', 'BARE']);
  });

  it('never returns values', () => {
    expect(envFileKeys('SECRET_KEY=s3cr3t-value\n')).toEqual(['SECRET_KEY']);
  });

  it('is empty for an empty file', () => {
    expect(envFileKeys('')).toEqual([]);
  });
});

describe('composeSecretKeys', () => {
  it('reads env_file keys and interpolated keys of the service from compose.files, not literals', async () => {
    const { t, log } = target({
      '/srv/shop/compose.yml': [
        'services:',
        '  web:',
        `    image: shop:\${APP_VERSION}`,
        '    env_file: app.env',
        '    environment:',
        `      DB_PASSWORD: \${DB_PASSWORD}`,
        '      MODE: prod',
        '      API_KEY:',
        '  db:',
        '    image: postgres',
        '    environment:',
        `      POSTGRES_PASSWORD: \${PG}`,
        '',
      ].join('\n'),
      '/srv/shop/app.env': '# comment\r\nSECRET_KEY=s3cr3t\r\nexport TOKEN=t\r\n',
    });
    const keys = await composeSecretKeys(t, composeOf({ files: ['compose.yml'] }), 'web');
    expect(sorted(keys)).toEqual(['API_KEY', 'DB_PASSWORD', 'SECRET_KEY', 'TOKEN']);
    expect(log.execs.map((e) => e.argv)).toEqual([
      ['cat', '--', '/srv/shop/compose.yml'],
      ['cat', '--', '/srv/shop/app.env'],
    ]);
  });

  it('reads list-form environment with pass-through keys', async () => {
    const { t } = target({
      '/srv/shop/compose.yml': `services:\n  web:\n    image: x\n    environment:\n      - API_KEY\n      - URL=\${URL}\n      - MODE=prod\n`,
    });
    expect(sorted(await composeSecretKeys(t, composeOf({ files: ['compose.yml'] }), 'web'))).toEqual([
      'API_KEY',
      'URL',
    ]);
  });

  it('finds docker-compose.yml and its override file when compose.files is unset', async () => {
    const { t, log } = target({
      '/srv/shop/docker-compose.yml': `services:\n  web:\n    image: x\n    environment:\n      A: \${A}\n      MODE: prod\n`,
      '/srv/shop/docker-compose.override.yml':
        'services:\n  web:\n    env_file: [{path: over.env, required: false}]\n    environment: [B]\n',
      '/srv/shop/over.env': 'C=1\n',
    });
    expect(sorted(await composeSecretKeys(t, composeOf(), 'web'))).toEqual(['A', 'B', 'C']);
    const cats = log.execs.map((e) => e.argv[2]);
    // compose.yaml, compose.yml, docker-compose.yaml are looked for first, in compose's order.
    expect(cats.slice(0, 4)).toEqual([
      '/srv/shop/compose.yaml',
      '/srv/shop/compose.yml',
      '/srv/shop/docker-compose.yaml',
      '/srv/shop/docker-compose.yml',
    ]);
    expect(cats).toContain('/srv/shop/docker-compose.override.yml');
  });

  it('prefers compose.yaml (with compose.override.yaml) over docker-compose.yml', async () => {
    const { t } = target({
      '/srv/shop/compose.yaml': 'services:\n  web:\n    environment: [FROM_COMPOSE]\n',
      '/srv/shop/compose.override.yaml': 'services:\n  web:\n    environment: [FROM_OVERRIDE]\n',
      '/srv/shop/docker-compose.yml': 'services:\n  web:\n    environment: [FROM_DOCKER_COMPOSE]\n',
    });
    expect(sorted(await composeSecretKeys(t, composeOf(), 'web'))).toEqual(['FROM_COMPOSE', 'FROM_OVERRIDE']);
  });

  it('resolves a relative env_file against the compose file directory; absolute paths as they are', async () => {
    const { t } = target({
      '/srv/shop/deploy/compose.yml':
        'services:\n  web:\n    image: x\n    env_file:\n      - ../env/app.env\n      - local.env\n      - /etc/shop/abs.env\n',
      '/srv/shop/env/app.env': 'FROM_PARENT=1\n',
      '/srv/shop/deploy/local.env': 'FROM_LOCAL=1\n',
      '/etc/shop/abs.env': 'FROM_ABS=1\n',
    });
    expect(sorted(await composeSecretKeys(t, composeOf({ files: ['deploy/compose.yml'] }), 'web'))).toEqual([
      'FROM_ABS',
      'FROM_LOCAL',
      'FROM_PARENT',
    ]);
  });

  it("resolves a second file's relative env_file against the first file's directory, as compose does", async () => {
    const { t } = target({
      '/srv/shop/compose.yml': 'services:\n  web:\n    image: x\n',
      '/srv/shop/overrides/prod.yml': 'services:\n  web:\n    env_file: .env.prod\n',
      '/srv/shop/.env.prod': 'PROD_KEY=1\n',
      '/srv/shop/overrides/.env.prod': 'WRONG_PLACE=1\n',
    });
    const keys = await composeSecretKeys(t, composeOf({ files: ['compose.yml', 'overrides/prod.yml'] }), 'web');
    expect(sorted(keys)).toEqual(['PROD_KEY']);
  });

  it('reads an absolute compose file path as it is', async () => {
    const { t } = target({
      '/opt/other/compose.yml': 'services:\n  web:\n    env_file: app.env\n',
      '/opt/other/app.env': 'K=v\n',
    });
    expect(sorted(await composeSecretKeys(t, composeOf({ files: ['/opt/other/compose.yml'] }), 'web'))).toEqual(['K']);
  });

  it('skips missing files and env files, env_file paths with variables, and other services', async () => {
    const { t, log } = target({
      '/srv/shop/compose.yml': `services:\n  web:\n    env_file: [missing.env, "\${ENV_DIR}/x.env"]\n  api:\n    env_file: api.env\n`,
      '/srv/shop/api.env': 'API_ONLY=1\n',
    });
    const keys = await composeSecretKeys(t, composeOf({ files: ['missing.yml', 'compose.yml'] }), 'web');
    expect(sorted(keys)).toEqual([]);
    expect(log.execs.map((e) => e.argv[2])).toEqual([
      '/srv/shop/missing.yml',
      '/srv/shop/compose.yml',
      '/srv/shop/missing.env',
    ]);
  });

  it('is empty when no default compose file exists', async () => {
    const { t } = target({});
    expect(sorted(await composeSecretKeys(t, composeOf(), 'web'))).toEqual([]);
  });

  it('reads YAML merge keys (x- anchors)', async () => {
    const { t } = target({
      '/srv/shop/compose.yml': [
        'x-common: &common',
        '  environment:',
        `    SHARED: \${SHARED}`,
        'services:',
        '  web:',
        '    <<: *common',
        '    image: x',
        '',
      ].join('\n'),
    });
    expect(sorted(await composeSecretKeys(t, composeOf({ files: ['compose.yml'] }), 'web'))).toEqual(['SHARED']);
  });
});

describe('composeSecretKeys: files compose reads that a strict YAML parser would not', () => {
  it('a key given twice: the last one, as compose 1.29 takes it', async () => {
    const { t } = target({
      '/srv/shop/compose.yml': 'services:\n  web:\n    env_file: old.env\n    env_file: new.env\n',
      '/srv/shop/new.env': 'NEW_KEY=1\n',
      '/srv/shop/old.env': 'OLD_KEY=1\n',
    });
    expect(sorted(await composeSecretKeys(t, composeOf({ files: ['compose.yml'] }), 'web'))).toEqual(['NEW_KEY']);
  });

  it('broken YAML: a UserError naming the file and the parser’s first line', async () => {
    const { t } = target({ '/srv/shop/compose.yml': 'services:\n  web:\n    image: x\n  bad\n' });
    const err = await composeSecretKeys(t, composeOf({ files: ['compose.yml'] }), 'web').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/^\/srv\/shop\/compose\.yml is not YAML compose could read: [^\n]+$/);
  });
});

describe('maskFileValue', () => {
  it('masks what may be a secret; leaves short values, numbers, booleans and the version as they are', () => {
    const masked: string[] = [];
    const log = { addSecret: (v: string) => masked.push(v) };
    for (const v of [
      '2',
      'ok',
      'info',
      '8080',
      '3.14',
      'true',
      'off',
      'v2.1.0',
      's3cr3t-value',
      'postgres://u:p@h/db',
    ]) {
      maskFileValue(log, v, 'v2.1.0');
    }
    expect(masked).toEqual(['s3cr3t-value', 'postgres://u:p@h/db']);
  });
});
