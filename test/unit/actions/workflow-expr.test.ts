/**
 * The expression subset the workflow harness evaluates (test/integration/helpers/workflow-expr.ts), against GitHub's
 * documented behaviour ("Evaluate expressions in workflows and actions"): operators yield operands, loose comparison,
 * case-insensitive strings, the implicit success() of an `if:`, format() escapes; and what it does not know throws.
 */
import { describe, expect, it } from 'vitest';
import {
  type ExprScope,
  evaluateCondition,
  evaluateExpression,
  interpolate,
} from '../../integration/helpers/workflow-expr.js';

const status = (s: 'success' | 'failure' | 'cancelled') => ({
  success: () => s === 'success',
  failure: () => s === 'failure',
  cancelled: () => s === 'cancelled',
});

const scope: ExprScope = {
  contexts: {
    inputs: { environment: 'production', 'release-id': 'previous', 'restore-database': false, count: 3 },
    secrets: { DEPLOY_SSH_KEY: 'key' },
    vars: { RUNBOOK_PACKAGE: '/repo' },
    env: { DB: 'x' },
    github: { sha: 'abc', run_id: '42', actor: 'octocat', event_name: 'workflow_dispatch' },
    steps: { deploy: { outputs: { 'release-id': 'r-2', 'previous-release-id': '' }, outcome: 'failure' } },
    needs: {
      'pre-deploy-check': { result: 'success', outputs: {} },
      deploy: { result: 'failure', outputs: { x: '1' } },
    },
  },
  strict: ['github'],
  status: status('success'),
};
const ev = (text: string, s: ExprScope = scope) => evaluateExpression(text, s);

describe('workflow expressions', () => {
  it('reads context paths, with dashes in names, indexes and case-insensitive keys; a missing key is null', () => {
    expect(ev('inputs.environment')).toBe('production');
    expect(ev("inputs['release-id']")).toBe('previous');
    expect(ev('needs.pre-deploy-check.result')).toBe('success');
    expect(ev('steps.deploy.outputs.release-id')).toBe('r-2');
    expect(ev('needs.deploy.outputs.x')).toBe('1');
    expect(ev('secrets.deploy_ssh_key')).toBe('key');
    expect(ev('vars.NOPE')).toBeNull();
    expect(ev('steps.nope.outputs.x')).toBeNull();
    expect(ev('github.sha')).toBe('abc');
  });

  it('literals: strings with doubled quotes, numbers, booleans, null', () => {
    expect(ev("'it''s'")).toBe("it's");
    expect(ev('0x10')).toBe(16);
    expect(ev('1.5')).toBe(1.5);
    expect(ev('true')).toBe(true);
    expect(ev('null')).toBeNull();
  });

  it('&& and || yield an operand (the "ternary" idiom); ! negates truthiness', () => {
    expect(ev("inputs.release-id != 'previous' && inputs.release-id || ''")).toBe('');
    const other = { ...scope, contexts: { ...scope.contexts, inputs: { 'release-id': 'rel-1' } } };
    expect(ev("inputs.release-id != 'previous' && inputs.release-id || ''", other)).toBe('rel-1');
    expect(ev("vars.NOPE || 'github:acme/runbook-actions#v1'")).toBe('github:acme/runbook-actions#v1');
    expect(ev("vars.RUNBOOK_PACKAGE || 'x'")).toBe('/repo');
    expect(ev('!inputs.restore-database')).toBe(true);
    expect(ev("!''")).toBe(true);
    expect(ev('!0')).toBe(true);
    expect(ev("inputs.environment == 'production' && 'p' || 's'")).toBe('p');
  });

  it('compares loosely: strings ignore case, other types as numbers, NaN equals nothing', () => {
    expect(ev("inputs.environment == 'PRODUCTION'")).toBe(true);
    expect(ev("'3' == inputs.count")).toBe(true);
    expect(ev("'' == 0")).toBe(true);
    expect(ev('null == 0')).toBe(true);
    expect(ev("true == '1'")).toBe(true);
    expect(ev("'abc' == 0")).toBe(false);
    expect(ev("'abc' != 0")).toBe(true);
    expect(ev('inputs.count > 2 && inputs.count <= 3')).toBe(true);
    expect(ev("steps.deploy.outputs.previous-release-id != ''")).toBe(false);
    expect(ev("steps.nope.outputs.x == ''")).toBe(true);
  });

  it('format() fills {n} and unescapes {{ }}; a placeholder without its argument throws', () => {
    expect(ev("format('deploy-{0}', inputs.environment)")).toBe('deploy-production');
    expect(ev("format('{{0}} {1}{0}', 'a', 'b')")).toBe('{0} ba');
    expect(() => ev("format('{1}', 'a')")).toThrow(/has \{1\} but 1 argument/);
  });

  it('status functions answer from where they are evaluated', () => {
    expect(ev('success()')).toBe(true);
    expect(ev('failure()', { ...scope, status: status('failure') })).toBe(true);
    expect(ev('always()')).toBe(true);
    expect(ev('cancelled()')).toBe(false);
    expect(() => ev('success()', { contexts: {} })).toThrow(/only allowed in if/);
  });

  it('fails loudly on what it does not know: functions, contexts, github fields, bad syntax', () => {
    expect(() => ev("contains(inputs.environment, 'prod')")).toThrow(/contains\(\) is not supported/);
    expect(() => ev('matrix.os')).toThrow(/context "matrix" is not supported/);
    expect(() => ev('github.event.pull_request.number')).toThrow(/github\.event is not set/);
    expect(() => ev('inputs.environment ==')).toThrow();
    expect(() => ev('inputs.*.x')).toThrow(/object filters/);
    expect(() => ev("'open")).toThrow(/unterminated string/);
    expect(() => ev('a = b')).toThrow();
  });
});

/** A text with workflow expressions, written with << >> for ${{ }} (a template-looking literal would be a lint finding). */
const gh = (text: string): string => text.replaceAll('<<', ['$', '{{'].join('')).replaceAll('>>', '}}');

describe('interpolation and conditions', () => {
  it('replaces every expression of a text, null as empty, booleans as words', () => {
    expect(interpolate(gh('deploy-<< inputs.environment >>'), scope)).toBe('deploy-production');
    expect(interpolate(gh('<< inputs.restore-database >>/<< vars.NOPE >>/<< inputs.count >>'), scope)).toBe('false//3');
    expect(interpolate(gh("a << '>>' >> b"), scope)).toBe('a }} b');
    expect(interpolate('no expression', scope)).toBe('no expression');
    expect(() => interpolate(gh('<< inputs.environment'), scope)).toThrow(/unterminated/);
  });

  it('an if: without a status function is success() && (…), with or without the braces', () => {
    expect(evaluateCondition("inputs.environment == 'production'", scope)).toBe(true);
    expect(evaluateCondition(gh("<< inputs.environment == 'production' >>"), scope)).toBe(true);
    const failed = { ...scope, status: status('failure') };
    expect(evaluateCondition("inputs.environment == 'production'", failed)).toBe(false);
    expect(evaluateCondition("failure() && steps.deploy.outputs.release-id != ''", failed)).toBe(true);
    expect(evaluateCondition('always()', failed)).toBe(true);
    expect(evaluateCondition("(failure() || cancelled()) && needs.deploy.result == 'failure'", failed)).toBe(true);
    expect(evaluateCondition(undefined, failed)).toBe(false);
    expect(evaluateCondition(undefined, scope)).toBe(true);
    expect(evaluateCondition(true, failed)).toBe(false);
  });

  it('refuses an if: that mixes text and an expression (always true on GitHub)', () => {
    expect(() => evaluateCondition(gh("<< inputs.environment >> == 'production'"), scope)).toThrow(/mixes text/);
  });
});
