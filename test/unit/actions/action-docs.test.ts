/**
 * Each action's README is generated from its action.yml (scripts/action-docs.ts) and committed: it must be what the
 * script writes. The root action is the one the Marketplace lists: its metadata must be valid there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionReadmes } from '../../../scripts/action-docs.js';

const root = join(import.meta.dirname, '../../..');

describe('action READMEs', () => {
  it.each(actionReadmes(root).map((r) => [r.path.slice(root.length + 1), r] as const))(
    '%s is what scripts/action-docs.ts writes (npm run docs:actions)',
    (_, r) => {
      expect(readFileSync(r.path, 'utf8')).toBe(r.text);
    },
  );
});

describe('the root action as the Marketplace lists it', () => {
  const yml = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
    name: string;
    description: string;
    author?: string;
    branding?: { icon?: string; color?: string };
  };

  it('has a name, a description under 125 characters, an author and branding', () => {
    expect(yml.name.length).toBeGreaterThan(0);
    expect(yml.description.length).toBeLessThan(125);
    expect(yml.author).toBeTruthy();
    expect(yml.branding?.icon).toBeTruthy();
    expect(['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']).toContain(
      yml.branding?.color,
    );
  });

  it('ships a LICENSE that package.json names', () => {
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).license).toBe('MIT');
  });
});
