import { expect } from 'vitest';
import { parseConfig } from '../../../src/config/loader.js';
import { ConfigFileError } from '../../../src/config/problems.js';
import { ConfigError } from '../../../src/core/errors.js';
import { FULL_CONFIG } from './fixtures.js';

/** The ConfigFileError that parsing `text` throws (fails the test if it parses). */
export function configError(text: string, file = 'runbook.yml'): ConfigFileError {
  try {
    parseConfig(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toBeInstanceOf(ConfigFileError);
    return err as ConfigFileError;
  }
  throw new Error('expected the config to be rejected, but it parsed');
}

/** The full sample config with `from` replaced by `to` (the replacement must apply). */
export function patched(from: string, to: string, base = FULL_CONFIG): string {
  expect(base.includes(from), `fixture contains ${JSON.stringify(from)}`).toBe(true);
  return base.replace(from, to);
}

/** 1-based line of the first occurrence of `needle` in `text`. */
export function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  expect(index, `text contains ${JSON.stringify(needle)}`).toBeGreaterThanOrEqual(0);
  return text.slice(0, index).split('\n').length;
}

/** 1-based column of the first occurrence of `needle` in `text`. */
export function colOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  return index - text.lastIndexOf('\n', index - 1);
}

/** A minimal valid config with one local target, plus extra top-level YAML. */
export function minimal(extra = ''): string {
  return `app: shop\nenvironments:\n  production:\n    targets: [{ name: self, local: true }]\n${extra}`;
}
