import { describe, expect, it } from 'vitest';
import { parseConstraint, parseVersion, satisfies, zVersionConstraint } from '../../../src/config/version.js';
import { ConfigError, UserError } from '../../../src/core/errors.js';

describe('parseConstraint', () => {
  it.each([
    ['>=24', { op: '>=', version: [24], raw: '>=24' }],
    ['>=20.10.5', { op: '>=', version: [20, 10, 5], raw: '>=20.10.5' }],
    ['> 2', { op: '>', version: [2], raw: '> 2' }],
    ['=2.29', { op: '=', version: [2, 29], raw: '=2.29' }],
  ])('%s', (input, parsed) => {
    expect(parseConstraint(input)).toEqual(parsed);
  });

  it.each(['24', '<24', '~2.20', '^24', '>=24.0.0.1', '>=', '>=x', '>=24 || >=25', '!=24'])('rejects %j', (input) => {
    expect(() => parseConstraint(input)).toThrow(ConfigError);
    expect(() => parseConstraint(input)).toThrow(/expected a version constraint like ">=24"/);
  });
});

describe('parseVersion', () => {
  it.each([
    ['20.10.24+dfsg1', [20, 10, 24]],
    ['v2.29.1', [2, 29, 1]],
    ['1.29.2, build unknown', [1, 29, 2]],
    ['28.2.2', [28, 2, 2]],
    ['Docker version 28.2.2, build e6534b4', [28, 2, 2]],
    ['Docker Compose version v2.29.1', [2, 29, 1]],
    ['docker-compose version 1.29.2, build 5becea4c', [1, 29, 2]],
    ['20.10.24-0ubuntu1~22.04.1', [20, 10, 24]],
    ['  24.0.7\n', [24, 0, 7]],
  ])('%j → %j', (text, version) => {
    expect(parseVersion(text)).toEqual(version);
  });

  it('finds nothing in text without a number', () => {
    expect(parseVersion('command not found')).toBeUndefined();
  });
});

describe('satisfies', () => {
  it.each([
    ['20.10.24+dfsg1', '>=24', false],
    ['20.10.24+dfsg1', '>=20.10.5', true],
    ['20.10.24+dfsg1', '>=20.10.25', false],
    ['28.2.2', '>=24', true],
    ['24.0.0', '>=24', true],
    ['23.0.6', '>=24', false],
    ['v2.29.1', '>=2.20', true],
    ['v2.19.9', '>=2.20', false],
    ['1.29.2, build unknown', '>=2.20', false],
    ['1.29.2, build unknown', '>=1.29', true],
    ['v2.29.1', '=2.29', true],
    ['v2.30.0', '=2.29', false],
    ['24.0.7', '=24', true],
    ['24.0.7', '>24', false],
    ['25.0.0', '>24', true],
    ['24.0.7', '>24.0.6', true],
  ])('%j against %s → %s', (actual, constraint, expected) => {
    expect(satisfies(actual, constraint)).toBe(expected);
    expect(satisfies(actual, parseConstraint(constraint))).toBe(expected);
  });

  it('throws a UserError naming output without a version', () => {
    expect(() => satisfies('bash: docker: command not found', '>=24')).toThrow(UserError);
    expect(() => satisfies('bash: docker: command not found', '>=24')).toThrow(
      'could not find a version number in "bash: docker: command not found"',
    );
  });
});

describe('zVersionConstraint', () => {
  it('accepts a constraint or false', () => {
    expect(zVersionConstraint.parse('>=24')).toEqual({ op: '>=', version: [24], raw: '>=24' });
    expect(zVersionConstraint.parse(false)).toBe(false);
  });

  it('explains a number and a bad string', () => {
    expect(zVersionConstraint.safeParse(24).error?.issues[0]?.message).toMatch(/quote it\), or false to skip/);
    expect(zVersionConstraint.safeParse(true).error?.issues[0]?.message).toMatch(/or false to skip the check/);
    expect(zVersionConstraint.safeParse('latest').error?.issues[0]?.message).toMatch(
      /^got "latest", expected a version/,
    );
  });
});
