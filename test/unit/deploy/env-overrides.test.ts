/**
 * The deploy's `env` input: its text (parseEnvOverrides, through parseInputs as the action reads it), its check
 * against the config, which values are in force for a release (carried over until env-reset), and what changes.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loader.js';
import type { Config } from '../../../src/config/schema.js';
import { StreamLogger } from '../../../src/core/logger.js';
import { Masker } from '../../../src/core/masker.js';
import {
  checkEnvOverrides,
  envChangesOf,
  envInForce,
  envPlanLines,
  refusedEnvName,
} from '../../../src/deploy/env-overrides.js';
import { deployInputs } from '../../../src/inputs/deploy.js';
import { ENV_OVERRIDE_LIMITS, type EnvOverride, parseEnvOverrides } from '../../../src/inputs/env-overrides.js';
import { pipelineInputs } from '../../../src/inputs/pipeline.js';
import { parseInputs } from '../../../src/inputs/spec.js';
import { memoryRunner } from '../helpers/runner.js';

const ok = (text: string): EnvOverride[] => {
  const r = parseEnvOverrides(text);
  if (!('overrides' in r)) throw new Error(r.problem);
  return r.overrides;
};
const problem = (text: string): string => {
  const r = parseEnvOverrides(text);
  return 'problem' in r ? r.problem : '(parsed)';
};

describe('the env input: NAME=value or service.NAME=value, one per line', () => {
  it('reads every service and one-service lines, skipping blanks, comments, indentation and CRLF', () => {
    expect(
      ok('FEATURE_X=false\n\n  # the killswitch of 2026-11-23\n  api.LOG_LEVEL=debug\r\nEMPTY=\nURL=a=b?c\n'),
    ).toEqual([
      { line: 1, name: 'FEATURE_X', value: 'false' },
      { line: 4, service: 'api', name: 'LOG_LEVEL', value: 'debug' },
      { line: 5, name: 'EMPTY', value: '' },
      { line: 6, name: 'URL', value: 'a=b?c' },
    ]);
    expect(ok('')).toEqual([]);
    expect(ok('# nothing\n')).toEqual([]);
  });

  it('takes a value as it is: no quotes removed, nothing expanded', () => {
    expect(ok(`A=$(id)\nB=\${HOME}\nC=x"y\nD=;rm -rf /`)).toEqual([
      { line: 1, name: 'A', value: '$(id)' },
      { line: 2, name: 'B', value: `\${HOME}` },
      { line: 3, name: 'C', value: 'x"y' },
      { line: 4, name: 'D', value: ';rm -rf /' },
    ]);
  });

  it.each([
    ['FEATURE_X', /line 1 \("FEATURE_X"\): expected NAME=value or service\.NAME=value/],
    ['=false', /line 1 \("=false"\): expected NAME=value/],
    ['feature_x=false', /"feature_x" is not a variable name \(upper-case letters, digits and "_"/],
    ['FEATURE X=false', /"FEATURE X" is not a variable name/],
    ['FEATURE_X =false', /"FEATURE_X " is not a variable name/],
    ['1X=false', /"1X" is not a variable name/],
    [`X${'A'.repeat(128)}=1`, /is not a variable name .*at most 128/],
    ['API.X=1', /"API" is not a service name/],
    ['api.web.X=1', /"web.X" is not a variable name/],
    ['.X=1', /"" is not a service name/],
    ['X=a\tb', /line 1 \("X=a\\tb"\): has a control character/],
    ['X=a\rb', /has a control character/],
    ['X=a\u0000b', /has a control character/],
    ['X=a\u2028b', /has a control character/],
    ['X=a\u0085b', /has a control character/],
    ['X=false ', /the value starts or ends with a space/],
    ['X= false', /the value starts or ends with a space/],
    ['X="false"', /the value is quoted, and the quotes would be part of it: write X=false/],
    ["X='false'", /the value is quoted/],
    ['X=1\nY=2\nX=3', /line 3 \("X=3"\): X is already set by line 1; one value each/],
    ['X=1\napi.X=2', /line 2 \("api\.X=2"\): X is already set by line 1/],
    ['api.X=1\nX=2', /line 2 \("X=2"\): X is already set by line 1/],
    ['api.X=1\napi.X=2', /X is already set by line 1/],
    [`X=${'v'.repeat(ENV_OVERRIDE_LIMITS.value + 1)}`, /the value has 4097 characters, at most 4096/],
    [
      Array.from({ length: ENV_OVERRIDE_LIMITS.assignments + 1 }, (_, i) => `V${i}=1`).join('\n'),
      /line 51 .*more than 50 assignments/,
    ],
    [`# ${'x'.repeat(ENV_OVERRIDE_LIMITS.text)}`, /expected at most 65536 characters/],
  ])('refuses %j, naming the line', (text, message) => {
    expect(problem(text)).toMatch(message);
  });

  it('allows the limits themselves and other services sharing a name', () => {
    expect(ok(`X=${'v'.repeat(ENV_OVERRIDE_LIMITS.value)}`)[0]?.value).toHaveLength(4096);
    expect(ok(Array.from({ length: 50 }, (_, i) => `V${i}=1`).join('\n'))).toHaveLength(50);
    expect(ok('api.X=1\nworker.X=2')).toHaveLength(2);
  });

  it.each([
    ['deploy', deployInputs],
    ['the root action', pipelineInputs],
  ])('is an input of %s, parsed once with env-reset (default false)', (_, specs) => {
    const { runner } = memoryRunner({ environment: 'p', version: 'v1', env: 'FEATURE_X=false\n' });
    const log = new StreamLogger({ sink: () => undefined, masker: new Masker(), mode: 'actions', debug: false });
    const inputs = parseInputs(runner, log, specs);
    expect(inputs.env).toEqual([{ line: 1, name: 'FEATURE_X', value: 'false' }]);
    expect(inputs['env-reset']).toBe(false);
    const bad = memoryRunner({ environment: 'p', version: 'v1', env: 'FEATURE_X=1\nfeature=2', 'env-reset': 'yes' });
    expect(() => parseInputs(bad.runner, log, specs)).toThrow(
      /2 input problems:\ninput "env": "FEATURE_X=1\\nfeature=2" is not valid: line 2 \("feature=2"\): "feature" is not a variable name.*\ninput "env-reset": "yes" is not valid: expected true or false/,
    );
  });
});

const config = (): Config =>
  parseConfig(
    `app: shop
environments:
  production:
    targets: [{ name: web1, ssh: { host: 10.0.0.5, user: deploy } }]
services:
  api:
    image: acme/api
    network: host
    port-env: APP_PORT
    env: { FEATURE_X: "true", LOG_LEVEL: info }
    secret-env: { DATABASE_URL: SHOP_DB_URL }
  worker:
    image: acme/worker
    env: { FEATURE_X: "true" }
strategy: { type: rolling }
`,
    'runbook.yml',
  );

describe('the env input against the config', () => {
  it('refuses a secret-env name, the port variable, steering names, naming line and reason', () => {
    const c = config();
    const api = c.services?.api;
    if (!api) throw new Error('no api');
    expect(refusedEnvName(c, 'api', api, 'DATABASE_URL')).toMatch(/secret-env: a secret comes from the runner/);
    expect(refusedEnvName(c, 'api', api, 'APP_PORT')).toMatch(/services\.api\.port-env/);
    for (const name of ['PATH', 'LD_PRELOAD', 'DOCKER_HOST', 'COMPOSE_FILE', 'BASH_ENV', 'IFS'])
      expect(refusedEnvName(c, 'api', api, name)).toMatch(/steers the shell/);
    expect(refusedEnvName(c, 'api', api, 'FEATURE_X')).toBeUndefined();
    expect(refusedEnvName({ compose: { 'version-env': 'APP_VERSION' } as never }, 'api', api, 'APP_VERSION')).toMatch(
      /compose\.version-env/,
    );
    expect(() => checkEnvOverrides(c, ['api', 'worker'], ok('FEATURE_X=false\nDATABASE_URL=postgres://x'))).toThrow(
      'input "env" line 2 (DATABASE_URL): DATABASE_URL is in services.api.secret-env',
    );
    expect(() => checkEnvOverrides(c, ['api'], ok('api.PATH=/tmp'))).toThrow(/line 1 \(api\.PATH\): PATH steers/);
  });

  it('refuses a service the config lacks or this run does not deploy', () => {
    const c = config();
    expect(() => checkEnvOverrides(c, ['api'], ok('web.X=1'))).toThrow(
      'input "env" line 1 (web.X): the config has no service web (services: api, worker)',
    );
    expect(() => checkEnvOverrides(c, ['api'], ok('worker.X=1'))).toThrow(
      /line 1 \(worker\.X\): this run does not deploy worker \(services: api\); add it to the services input/,
    );
    expect(() => checkEnvOverrides(c, ['api', 'worker'], ok('FEATURE_X=0\nworker.LOG=1'))).not.toThrow();
  });
});

describe('the values in force: carried over until env-reset', () => {
  const c = config();
  const live = { id: 'R1', env: { api: { FEATURE_X: 'false' }, worker: { FEATURE_X: 'false' } } };

  it('sets every deployed service, or the one named', () => {
    expect(envInForce(c, ['api', 'worker'], ok('FEATURE_X=false'), undefined, false)).toEqual({
      api: { FEATURE_X: 'false' },
      worker: { FEATURE_X: 'false' },
    });
    expect(envInForce(c, ['api', 'worker'], ok('worker.FEATURE_X=false'), undefined, false)).toEqual({
      worker: { FEATURE_X: 'false' },
    });
    expect(envInForce(c, ['api'], [], undefined, false)).toEqual({});
  });

  it('a later deploy without env keeps the live release values (the killswitch stays off)', () => {
    expect(envInForce(c, ['api', 'worker'], [], live, false)).toEqual(live.env);
    expect(envInForce(c, ['api'], ok('LOG_LEVEL=debug'), live, false)).toEqual({
      api: { FEATURE_X: 'false', LOG_LEVEL: 'debug' },
      worker: { FEATURE_X: 'false' },
    });
  });

  it('env-reset drops them for the deployed services only (the others still run with theirs)', () => {
    expect(envInForce(c, ['api'], [], live, true)).toEqual({ worker: { FEATURE_X: 'false' } });
    expect(envInForce(c, ['api', 'worker'], ok('api.LOG_LEVEL=warn'), live, true)).toEqual({
      api: { LOG_LEVEL: 'warn' },
    });
  });

  it('refuses a carried value the config now refuses, saying how to drop it', () => {
    const then = { id: 'R0', env: { api: { DATABASE_URL: 'x' } } };
    expect(() => envInForce(c, ['api'], [], then, false)).toThrow(
      /api: DATABASE_URL, set by an earlier release's env input \(still in force from R0\), cannot stay: .*deploy with env-reset: true/,
    );
    expect(envInForce(c, ['api'], [], then, true)).toEqual({});
  });

  it('says what changes against the config and the live release, and where each value comes from', () => {
    const after = envInForce(c, ['api'], ok('FEATURE_X=false\nNEW=1'), undefined, false);
    const changes = envChangesOf(c, ['api'], undefined, after);
    expect(changes).toEqual([
      { service: 'api', name: 'FEATURE_X', from: 'true', to: 'false' },
      { service: 'api', name: 'NEW', to: '1' },
    ]);
    expect(envChangesOf(c, ['api', 'worker'], live.env, envInForce(c, ['api', 'worker'], [], live, true))).toEqual([
      { service: 'api', name: 'FEATURE_X', from: 'false', to: 'true' },
      { service: 'worker', name: 'FEATURE_X', from: 'false', to: 'true' },
    ]);
    expect(envChangesOf(c, ['api'], live.env, envInForce(c, ['api'], [], live, false))).toEqual([]);
    expect(envPlanLines(c, ['api'], ok('NEW=1'), live, { api: { FEATURE_X: 'false', NEW: '1' } }, changes)).toEqual([
      'env of api (the env input, in force until env-reset: true): FEATURE_X=false (carried from R1; the config says true), NEW=1 (this deploy)',
      'env changes: api.FEATURE_X: true → false; api.NEW: (unset) → 1',
    ]);
    expect(envPlanLines(c, ['api'], [], undefined, {}, [])).toEqual([]);
  });
});
