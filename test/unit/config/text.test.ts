import { describe, expect, it } from 'vitest';
import { allowedKeys } from '../../../src/config/issues.js';
import { formatProblem } from '../../../src/config/problems.js';
import { configSchema } from '../../../src/config/schema.js';
import { closest, editDistance, formatPath, show } from '../../../src/config/text.js';
import { configError } from './helpers.js';

describe('suggestions', () => {
  it.each([
    ['prot', ['host', 'port', 'user'], 'port'],
    ['Port', ['host', 'port', 'user'], 'port'],
    ['statergy', ['strategy', 'services'], 'strategy'],
    ['keepalive', ['connect-timeout', 'keepalive-interval'], 'keepalive-interval'],
    ['connect_timeout', ['connect-timeout', 'keepalive-interval'], 'connect-timeout'],
    ['zzz', ['app', 'environments'], undefined],
    ['x', ['a', 'b'], undefined],
  ])('%s among %j → %s', (word, candidates, expected) => {
    expect(closest(word, candidates)).toBe(expected);
  });

  it('computes edit distances', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('finds allowed keys through records, arrays, optionals and transforms', () => {
    expect(allowedKeys(configSchema, ['environments', 'prod', 'targets', 0, 'ssh'])).toEqual([
      'host',
      'port',
      'user',
      'jump',
      'connect-timeout',
      'keepalive-interval',
    ]);
    expect(allowedKeys(configSchema, ['database', 'via'])).toEqual(['compose-service', 'container', 'host', 'port']);
    expect(allowedKeys(configSchema, ['nope', 'deeper'])).toEqual([]);
  });

  it('suggests keys in an environment checks override', () => {
    const text =
      'app: shop\nenvironments:\n  p:\n    targets: [{ name: a, local: true }]\n    checks: { min-free-disc: 10% }\n';
    expect(configError(text).message).toBe(
      'runbook.yml:5:15: environments.p.checks.min-free-disc: unknown key "min-free-disc" (did you mean "min-free-disk"?)',
    );
  });
});

describe('formatting', () => {
  it('formats key paths', () => {
    expect(formatPath(['environments', 'production', 'targets', 0, 'ssh', 'port'])).toBe(
      'environments.production.targets[0].ssh.port',
    );
    expect(formatPath(['smoke', 'checks', 0, 'expect', 'json', 'checks.*'])).toBe(
      'smoke.checks[0].expect.json["checks.*"]',
    );
    expect(formatPath([])).toBe('');
  });

  it('shows values as JSON, truncated', () => {
    expect(show('a')).toBe('"a"');
    expect(show(undefined)).toBe('nothing');
    expect(show({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(show('y'.repeat(100))).toHaveLength(60);
    expect(show('y'.repeat(100)).endsWith('…')).toBe(true);
  });

  it('formats a problem with and without a position', () => {
    expect(formatProblem({ file: 'f.yml', line: 3, col: 7, path: 'app', message: 'bad' })).toBe('f.yml:3:7: app: bad');
    expect(formatProblem({ file: 'f.yml', message: 'empty' })).toBe('f.yml: empty');
  });
});
