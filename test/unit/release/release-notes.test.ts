/**
 * scripts/release-notes.mjs, as the release workflow runs it: `node scripts/release-notes.mjs vX.Y.Z` prints the
 * changelog's section for that version, or fails saying why (not a semver tag, not package.json's version, no notes).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const SCRIPT = join(ROOT, 'scripts/release-notes.mjs');

const CHANGELOG = `# Changelog

Intro text.

## Unreleased

### Added
- next thing

## 1.2.0 - 2026-12-01

### Added
- the [docs](docs/config.md), [an anchor](#top), [a site](https://example.com/x) and [./here](./a.md)

### Fixed
- a bug

## [1.1.0] - 2026-11-01
- older

## v1.0.0
- first

## 0.9.0

## 2.0.0-rc.1
- candidate
`;

/** Run the script in a directory holding `version`'s package.json and the changelog above. */
function notes(tag: string, version = tag.replace(/^v/, ''), ...extra: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'release-notes-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', version }));
  writeFileSync(join(dir, 'CHANGELOG.md'), CHANGELOG);
  const r = spawnSync(process.execPath, [SCRIPT, tag, ...extra], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('release-notes.mjs', () => {
  it("prints the version's section, from below its heading to the next version's", () => {
    const r = notes('v1.2.0');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      '### Added\n- the [docs](docs/config.md), [an anchor](#top), [a site](https://example.com/x) and [./here](./a.md)\n\n### Fixed\n- a bug\n',
    );
  });

  it.each([
    ['v1.1.0', '- older\n'],
    ['v1.0.0', '- first\n'],
    ['v2.0.0-rc.1', '- candidate\n'],
  ])('%s: headings as [X.Y.Z], vX.Y.Z and pre-releases are found too', (tag, body) => {
    expect(notes(tag).stdout).toBe(body);
  });

  it('--link-base points links to files of the repository at the tag; anchors and URLs stay', () => {
    const r = notes('v1.2.0', '1.2.0', '--link-base', 'https://github.com/acme/runbook-actions/blob/v1.2.0/');
    expect(r.stdout).toContain('[docs](https://github.com/acme/runbook-actions/blob/v1.2.0/docs/config.md)');
    expect(r.stdout).toContain('[./here](https://github.com/acme/runbook-actions/blob/v1.2.0/a.md)');
    expect(r.stdout).toContain('[an anchor](#top)');
    expect(r.stdout).toContain('[a site](https://example.com/x)');
  });

  it.each([
    ['1.2.0', 'not a release tag'],
    ['v1.2', 'not a release tag'],
    ['v01.2.0', 'not a release tag'],
    ['v1.2.0.1', 'not a release tag'],
    ['release-1.2.0', 'not a release tag'],
  ])('refuses the tag %s', (tag, message) => {
    const r = notes(tag, '1.2.0');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  it("refuses a tag that is not package.json's version", () => {
    const r = notes('v1.2.0', '1.2.1');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("tag v1.2.0 is not package.json's version 1.2.1");
  });

  it('refuses a version the changelog has no notes for, or empty ones', () => {
    expect(notes('v3.0.0').stderr).toContain('CHANGELOG has no "## 3.0.0" section');
    const empty = notes('v0.9.0');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('"## 0.9.0" section is empty');
  });

  it('without a tag prints its usage (exit 2)', () => {
    const r = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: node scripts/release-notes.mjs vX.Y.Z');
  });

  it("finds this repository's own 0.1.0 notes", () => {
    const dir = mkdtempSync(join(tmpdir(), 'release-notes-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'runbook-actions', version: '0.1.0' }));
    const changelog = join(ROOT, 'CHANGELOG.md');
    const r = spawnSync(process.execPath, [SCRIPT, 'v0.1.0', '--changelog', changelog], { cwd: dir, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^### Added\n- The actions `pre-deploy-check`/);
  });
});
