/**
 * The committed bundles name no path of the machine that built them: CI rebuilds dist/ in another checkout and fails
 * when a byte differs, and a path in a comment changes the chunk hashes too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

describe('dist/', () => {
  it('no bundle mentions the absolute path of the checkout', () => {
    const files = readdirSync(join(ROOT, 'dist'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.js'))
      .map((e) => join(e.parentPath, e.name));
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => readFileSync(f, 'utf8').includes(ROOT))).toEqual([]);
  });
});
