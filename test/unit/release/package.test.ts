/**
 * The package the CLI ships as (README "CLI via npx"): the bundles in dist/ hold every dependency, so the package
 * declares none and an install fetches nothing; it cannot be published by accident; its bin is the CLI bundle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;

describe('package.json', () => {
  it('declares no dependencies: the bundles hold them (a build-time package goes in devDependencies)', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.optionalDependencies ?? {}).toEqual({});
    expect(pkg.peerDependencies ?? {}).toEqual({});
  });

  it('every module the bundles load is a Node builtin, another file of dist/, or an optional native addon', () => {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    // ssh2 tries its native crypto addon and cpu-features in a try/catch; without them it uses its JavaScript code.
    const optional = new Set(['cpu-features']);
    const bare: string[] = [];
    for (const entry of readdirSync(join(ROOT, 'dist'), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
      const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
      const specifiers = [
        ...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"'\s]+)["']/g),
        ...text.matchAll(/^import\s*["']([^"'\s]+)["']/gm),
      ].map((m) => m[1] ?? '');
      for (const s of specifiers) {
        if (s.startsWith('.') || builtins.has(s) || optional.has(s) || s.endsWith('.node')) continue;
        bare.push(`${entry.name}: ${s}`);
      }
    }
    expect(bare).toEqual([]);
  });

  it('stays private (npm publish refuses it), with no install-time scripts', () => {
    expect(pkg.private).toBe(true);
    const scripts = Object.keys((pkg.scripts as Record<string, string>) ?? {});
    expect(scripts.filter((s) => /^(pre|post)?(install|prepare|prepack|postpack)$/.test(s))).toEqual([]);
  });

  it('bin runbook is the CLI bundle, which starts with a node shebang; files lists what the tarball needs', () => {
    expect(pkg.bin).toEqual({ runbook: 'dist/cli.js' });
    expect(readFileSync(join(ROOT, 'dist/cli.js'), 'utf8').split('\n', 1)[0]).toBe('#!/usr/bin/env node');
    expect(pkg.files).toEqual(expect.arrayContaining(['dist/', 'action.yml', 'actions/*/action.yml']));
  });
});
