/**
 * An action's start-up bundle and the step it loads each hold a copy of src/core/errors.ts; errors cross between them
 * (a step's ConfigError reaches the entry's runner, the runner's CancelledError is a step's abort reason), so
 * `instanceof` goes by the class names along the prototype chain, not by identity.
 */
import { describe, expect, it } from 'vitest';

describe('error classes across two copies of their module', () => {
  it('instanceof holds for the class and its ancestors, and nothing else', async () => {
    const a = await import('../../../src/core/errors.js');
    const copy = '../../../src/core/errors.js?second-copy';
    const b = (await import(copy)) as typeof a;
    expect(b.ConfigError).not.toBe(a.ConfigError);
    const fromStep = new b.ConfigError('input "x": bad');
    expect(fromStep instanceof a.ConfigError).toBe(true);
    expect(fromStep instanceof a.UserError).toBe(true);
    expect(a.isUserError(fromStep)).toBe(true);
    expect(fromStep instanceof a.CancelledError).toBe(false);
    expect(new b.UserError('x') instanceof a.ConfigError).toBe(false);
    expect(new a.CancelledError('by SIGTERM') instanceof b.CancelledError).toBe(true);
    expect(new Error('bug') instanceof a.UserError).toBe(false);
    expect(a.isUserError(new TypeError('bug'))).toBe(false);
    expect(a.isUserError('text')).toBe(false);
    expect(a.isUserError(null)).toBe(false);
  });
});
