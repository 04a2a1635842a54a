/**
 * scripts/release.mjs (`npm run release -- <version>`) on a throwaway git repository in a temporary directory, never
 * this one: version bumped in package.json and package-lock.json, CHANGELOG's Unreleased section dated as the
 * release's, the build run again, one commit, an annotated tag; and everything it refuses, leaving the repository as
 * it was.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '../../../scripts/release.mjs');
const NOTES = join(import.meta.dirname, '../../../scripts/release-notes.mjs');

const CHANGELOG = `# Changelog

## Unreleased

### Added
- a feature

## 0.1.0

### Added
- the first release
`;

/**
 * The environment of a maintainer's shell: no GIT_* variable (a git hook running this suite sets GIT_DIR, which would
 * point every command here at this repository) and none of the npm_* ones of the `npm test` around it.
 */
const env = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(GIT_|npm_)/i.test(k) && k !== 'INIT_CWD'));

/** A repository with one commit: package.json and package-lock.json at `version`, the changelog above. */
function repo(version = '0.1.0', changelog = CHANGELOG): { dir: string; git: (...a: string[]) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'release-repo-'));
  const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, env: env(), encoding: 'utf8' }).trim();
  git('init', '--quiet', '--initial-branch=main');
  git('config', 'user.email', 'maintainer@example.com');
  git('config', 'user.name', 'Maintainer');
  git('config', 'commit.gpgsign', 'false');
  git('config', 'tag.gpgsign', 'false');
  // Its build writes the version into dist/, as this repository's CLI bundle carries package.json's.
  const build = `node -e \\"const fs = require('fs'); fs.mkdirSync('dist', { recursive: true }); fs.writeFileSync('dist/version.txt', require('./package.json').version)\\"`;
  writeFileSync(
    join(dir, 'package.json'),
    `{\n  "name": "demo",\n  "version": "${version}",\n  "private": true,\n  "scripts": { "build": "${build}" }\n}\n`,
  );
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist/version.txt'), version);
  const lock = {
    name: 'demo',
    version,
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: 'demo', version } },
  };
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  writeFileSync(join(dir, 'CHANGELOG.md'), changelog);
  git('add', '.');
  git('commit', '--quiet', '-m', 'start');
  return { dir, git };
}

const release = (dir: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { cwd: dir, env: env(), encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('scripts/release.mjs', () => {
  it('bumps, dates the changelog, commits and tags: what the release workflow then checks', () => {
    const { dir, git } = repo();
    const r = release(dir, 'minor', '--date', '2026-12-01');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('released 0.1.0 → 0.2.0');
    expect(r.stdout).toContain('git push origin HEAD v0.2.0');

    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version).toBe('0.2.0');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toMatch(
      /^\{\n {2}"name": "demo",\n {2}"version": "0.2.0",\n/,
    );
    expect(readFileSync(join(dir, 'dist/version.txt'), 'utf8')).toBe('0.2.0');
    const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
    expect([lock.version, lock.packages[''].version]).toEqual(['0.2.0', '0.2.0']);
    expect(readFileSync(join(dir, 'CHANGELOG.md'), 'utf8')).toBe(
      CHANGELOG.replace('## Unreleased\n', '## Unreleased\n\n## 0.2.0 - 2026-12-01\n'),
    );

    expect(git('log', '--format=%s')).toBe('Release v0.2.0\nstart');
    expect(git('status', '--porcelain')).toBe('');
    expect(git('cat-file', '-t', 'v0.2.0')).toBe('tag'); // annotated
    expect(git('rev-parse', 'v0.2.0^{commit}')).toBe(git('rev-parse', 'HEAD'));
    // The release commit holds the rebuilt dist/: what the release workflow's dist check rebuilds it to.
    expect(git('show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual([
      'CHANGELOG.md',
      'dist/version.txt',
      'package-lock.json',
      'package.json',
    ]);

    // What release.yml runs on the pushed tag: the tag matches package.json and the notes are the section's.
    const notes = spawnSync(process.execPath, [NOTES, 'v0.2.0'], { cwd: dir, env: env(), encoding: 'utf8' });
    expect(notes.status, notes.stderr).toBe(0);
    expect(notes.stdout).toBe('### Added\n- a feature\n');
  });

  it.each([
    ['patch', '1.4.2', '1.4.3'],
    ['minor', '1.4.2', '1.5.0'],
    ['major', '1.4.2', '2.0.0'],
    ['3.0.0', '1.4.2', '3.0.0'],
    ['v3.0.0-rc.1', '1.4.2', '3.0.0-rc.1'],
    ['patch', '3.0.0-rc.1', '3.0.0'],
    ['major', '3.0.0-rc.1', '3.0.0'],
    ['3.0.0-rc.2', '3.0.0-rc.1', '3.0.0-rc.2'],
  ])('%s from %s is %s', (wanted, from, to) => {
    const { dir, git } = repo(from);
    const r = release(dir, wanted, '--date', '2026-12-01');
    expect(r.code, r.stderr).toBe(0);
    expect(git('tag', '--list')).toBe(`v${to}`);
  });

  it('dates the release today (UTC) unless told', () => {
    const { dir } = repo();
    expect(release(dir, 'patch').code).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    expect(readFileSync(join(dir, 'CHANGELOG.md'), 'utf8')).toContain(`## 0.1.1 - ${today}\n`);
  });

  it('--dry-run says what it would do and changes nothing', () => {
    const { dir, git } = repo();
    const r = release(dir, '0.2.0', '--dry-run', '--date', '2026-12-01');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('0.1.0 → 0.2.0, dated 2026-12-01');
    expect(r.stdout).toContain('- a feature');
    expect(r.stdout).toContain('run npm run build');
    expect(git('status', '--porcelain')).toBe('');
    expect(git('tag', '--list')).toBe('');
    expect(git('log', '--format=%s')).toBe('start');
  });

  it.each([
    ['a version that is not semver', ['1.2'], 'is neither a semantic version'],
    ['a version that does not come after the current one', ['0.1.0'], '0.1.0 does not come after 0.1.0'],
    ['an older version', ['0.0.9'], 'does not come after'],
    ['a bad date', ['patch', '--date', '1/12/2026'], '--date expects YYYY-MM-DD'],
  ])('refuses %s', (_, args, message) => {
    const { dir, git } = repo();
    const r = release(dir, ...args);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(git('status', '--porcelain')).toBe('');
    expect(git('tag', '--list')).toBe('');
  });

  it('refuses a dirty work tree', () => {
    const { dir, git } = repo();
    writeFileSync(join(dir, 'notes.txt'), 'wip');
    const r = release(dir, 'patch');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the work tree has changes');
    expect(git('log', '--format=%s')).toBe('start');
  });

  it('refuses when the tag exists already', () => {
    const { dir, git } = repo();
    git('tag', 'v0.1.1');
    const r = release(dir, 'patch');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('tag v0.1.1 exists already');
    expect(git('log', '--format=%s')).toBe('start');
  });

  it('refuses an empty or missing Unreleased section: nothing to release', () => {
    const empty = repo('0.1.0', '# Changelog\n\n## Unreleased\n\n## 0.1.0\n- first\n');
    expect(release(empty.dir, 'patch').stderr).toContain('the "## Unreleased" section of CHANGELOG.md is empty');
    const none = repo('0.1.0', '# Changelog\n\n## 0.1.0\n- first\n');
    expect(release(none.dir, 'patch').stderr).toContain('no "## Unreleased" section');
    expect(empty.git('tag', '--list') + none.git('tag', '--list')).toBe('');
  });

  it('outside a git repository says so; without a version prints its usage', () => {
    const bare = mkdtempSync(join(tmpdir(), 'release-nogit-'));
    const r = release(bare, 'patch');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not in a git repository');
    expect(release(bare).code).toBe(2);
  });
});
