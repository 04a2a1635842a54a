import { describe, expect, it } from 'vitest';
import { PgClient } from '../../../src/backup/pg.js';
import { checkSecrets, envPassedSecrets } from '../../../src/checks/secrets.js';
import { ConfigError, UserError } from '../../../src/core/errors.js';
import { exitText } from '../../../src/transports/exit-status.js';
import { secretEnvProblem, withSecretEnv } from '../../../src/transports/secret-env.js';
import type { Transport } from '../../../src/transports/types.js';
import { captureLogger } from '../../integration/helpers/capture-logger.js';

describe('secretEnvProblem: what the secret-env prelude cannot carry', () => {
  it.each([
    ['pw', undefined],
    ['p w\tx=y;$(id)`x`', undefined],
    ['pw\r', undefined],
    ['pw\n', /^ends in a line break/],
    ['pw\r\n', /^ends in a line break/],
    ['p\nw', /^contains a line break/],
    ['p\0w', /^contains a NUL byte/],
  ])('%j', (value, problem) => {
    const got = secretEnvProblem(value);
    if (problem === undefined) expect(got).toBeUndefined();
    else expect(got).toMatch(problem);
  });

  it('withSecretEnv refuses with a one-line user error naming the variable, never the value', () => {
    let err: unknown;
    try {
      withSecretEnv(['psql'], { PGPASSWORD: 'hunter2\n' }, undefined);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(
      'the secret passed as PGPASSWORD ends in a line break (usually saved with the secret by mistake): store the secret without it',
    );
    expect((err as Error).message).not.toContain('hunter2');
  });
});

describe('pre-deploy-check: secrets that cannot be passed', () => {
  const config = { database: { 'password-env': 'DB_PASSWORD' } };

  it('names the configured variable and its setting', () => {
    expect(envPassedSecrets(config)).toEqual({ DB_PASSWORD: 'database.password-env' });
    expect(envPassedSecrets({})).toEqual({});
    const log = captureLogger();
    const results = checkSecrets(
      ['DB_PASSWORD', 'API_TOKEN', 'TLS_CERT'],
      { DB_PASSWORD: 's3cret-value\n', API_TOKEN: 'tok\0en', TLS_CERT: '-----BEGIN CERTIFICATE-----\nMIIB\n' },
      log,
      envPassedSecrets(config),
    );
    expect(results.map((r) => `${r.status} ${r.check}: ${r.detail}`)).toEqual([
      'fail secret DB_PASSWORD: environment variable DB_PASSWORD (database.password-env) ends in a line break (usually saved with the secret by mistake): store the secret without it',
      'fail secret API_TOKEN: environment variable API_TOKEN contains a NUL byte, which no environment variable can hold',
      // A container's secret-env value goes through the Engine API, where line breaks are fine.
      'pass secret TLS_CERT: set',
    ]);
    expect(log.messages('secret')).toEqual(['s3cret-value\n', 'tok\0en', '-----BEGIN CERTIFICATE-----\nMIIB\n']);
    for (const r of results) expect(r.detail).not.toContain('s3cret');
  });

  it('a password passed as an environment variable is checked even when no other list names it', () => {
    const results = checkSecrets([], { DB_PASSWORD: 'a\nb' }, captureLogger(), envPassedSecrets(config));
    expect(results).toMatchObject([{ status: 'fail', check: 'secret DB_PASSWORD' }]);
    expect(checkSecrets([], { DB_PASSWORD: 'fine' }, captureLogger(), envPassedSecrets(config))).toMatchObject([
      { status: 'pass' },
    ]);
  });
});

describe('the backup and restore database client', () => {
  it('refuses a password it cannot pass before running anything, naming database.password-env', () => {
    const t = { name: 'db', exec: () => Promise.reject(new Error('nothing may run')) } as unknown as Transport;
    const endpoint = { via: { kind: 'host', host: '127.0.0.1', port: 5432 }, database: 'shop', user: 'shop' } as const;
    expect(() => new PgClient(t, endpoint, 'pw\n', captureLogger())).toThrow(UserError);
    expect(() => new PgClient(t, endpoint, 'pw\n', captureLogger())).toThrow(
      'the database password (the variable database.password-env names) ends in a line break (usually saved with the secret by mistake): store the secret without it',
    );
    expect(() => new PgClient(t, endpoint, 'pw', captureLogger())).not.toThrow();
  });
});

describe('exitText', () => {
  it.each([
    [{ code: 0 }, 'exit 0'],
    [{ code: 3 }, 'exit 3'],
    [{ code: -1, signal: 'SIGKILL' }, 'killed by SIGKILL'],
    [{ code: -1, signal: 'TERM' }, 'killed by SIGTERM'],
    [{ code: -1 }, 'ended without an exit status'],
  ])('%j → %s', (r, text) => {
    expect(exitText(r)).toBe(text);
  });
});
