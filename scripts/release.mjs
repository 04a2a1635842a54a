// Cut a release (CONTRIBUTING.md, "Releasing"):
//   npm run release -- <X.Y.Z | patch | minor | major> [--date YYYY-MM-DD] [--dry-run]
// In the repository of the current directory, with a clean work tree: sets package.json's (and package-lock.json's)
// version, turns CHANGELOG.md's "## Unreleased" section into "## X.Y.Z - DATE" (a new, empty "## Unreleased" above
// it), runs `npm run build` (the CLI bundle carries the version: without it dist/ is stale and the release workflow
// refuses the tag), commits all that as "Release vX.Y.Z" and tags the commit vX.Y.Z (annotated). It pushes nothing:
// `git push origin HEAD vX.Y.Z` then starts .github/workflows/release.yml, which checks the tag, publishes the GitHub
// release with the section's notes and moves the major tag (v1). --dry-run says what it would do, changing nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { releaseNotes, SEMVER } from './release-notes.mjs';

class ReleaseError extends Error {}

/** Precedence of two semantic versions (semver.org §11): negative when a comes first. Build metadata is ignored. */
export function compareVersions(a, b) {
  const parse = (v) => {
    const m = SEMVER.exec(v);
    if (!m) throw new ReleaseError(`${JSON.stringify(v)} is not a semantic version`);
    return { core: [m[1], m[2], m[3]].map(Number), pre: m[4] ? m[4].split('.') : [] };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return x.core[i] - y.core[i];
  if (x.pre.length === 0 || y.pre.length === 0) return y.pre.length - x.pre.length;
  for (let i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
    const [p, q] = [x.pre[i], y.pre[i]];
    if (p === q) continue;
    const [np, nq] = [/^\d+$/.test(p), /^\d+$/.test(q)];
    if (np && nq) return Number(p) - Number(q);
    if (np !== nq) return np ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return x.pre.length - y.pre.length;
}

/** The version to release: an exact one, or the current one bumped (`patch`, `minor`, `major`). */
export function nextVersion(current, wanted) {
  const m = SEMVER.exec(current);
  if (!m) throw new ReleaseError(`package.json's version ${JSON.stringify(current)} is not a semantic version`);
  const [major, minor, patch] = [m[1], m[2], m[3]].map(Number);
  const pre = Boolean(m[4]);
  const next =
    wanted === 'major'
      ? `${pre && minor === 0 && patch === 0 ? major : major + 1}.0.0`
      : wanted === 'minor'
        ? `${major}.${pre && patch === 0 ? minor : minor + 1}.0`
        : wanted === 'patch'
          ? `${major}.${minor}.${pre ? patch : patch + 1}`
          : wanted.replace(/^v/, '');
  if (!SEMVER.test(next)) {
    throw new ReleaseError(`${JSON.stringify(wanted)} is neither a semantic version (X.Y.Z) nor patch, minor or major`);
  }
  if (compareVersions(next, current) <= 0) throw new ReleaseError(`${next} does not come after ${current}`);
  return next;
}

/** CHANGELOG.md with its Unreleased section made the release's, under a new empty Unreleased heading. */
export function changelogForRelease(changelog, version, date) {
  const heading = /^## \[?Unreleased\]?[ \t]*$/im;
  if (!heading.test(changelog)) throw new ReleaseError('CHANGELOG.md has no "## Unreleased" section to release');
  const marked = changelog.replace(heading, '## 0.0.0-unreleased');
  try {
    releaseNotes(marked, '0.0.0-unreleased');
  } catch {
    throw new ReleaseError('nothing to release: the "## Unreleased" section of CHANGELOG.md is empty');
  }
  return changelog.replace(heading, `## Unreleased\n\n## ${version} - ${date}`);
}

function main(args) {
  const dryRun = args.includes('--dry-run');
  const dateAt = args.indexOf('--date');
  const date = dateAt === -1 ? new Date().toISOString().slice(0, 10) : args[dateAt + 1];
  const wanted = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--date');
  if (!wanted) {
    console.error('usage: npm run release -- <X.Y.Z | patch | minor | major> [--date YYYY-MM-DD] [--dry-run]');
    return 2;
  }
  try {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date ?? '')) throw new ReleaseError(`--date expects YYYY-MM-DD, got ${date}`);
    const git = (...a) => execFileSync('git', a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    let root;
    try {
      root = git('rev-parse', '--show-toplevel');
    } catch {
      throw new ReleaseError('not in a git repository');
    }
    const dirty = git('-C', root, 'status', '--porcelain');
    if (dirty) throw new ReleaseError(`the work tree has changes; commit or stash them first:\n${dirty}`);

    const pkgPath = join(root, 'package.json');
    const pkgText = readFileSync(pkgPath, 'utf8');
    const current = JSON.parse(pkgText).version;
    const version = nextVersion(String(current), wanted);
    const tag = `v${version}`;
    if (git('-C', root, 'tag', '--list', tag)) throw new ReleaseError(`tag ${tag} exists already`);

    const changelogPath = join(root, 'CHANGELOG.md');
    if (!existsSync(changelogPath)) throw new ReleaseError('no CHANGELOG.md at the root of the repository');
    const changelog = changelogForRelease(readFileSync(changelogPath, 'utf8'), version, date);
    const versionLine = new RegExp(`("version"\\s*:\\s*)"${current.replace(/[.+]/g, '\\$&')}"`);
    const files = { [pkgPath]: pkgText.replace(versionLine, `$1"${version}"`), [changelogPath]: changelog };
    const lockPath = join(root, 'package-lock.json');
    if (existsSync(lockPath)) {
      const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
      lock.version = version;
      if (lock.packages?.['']) lock.packages[''].version = version;
      files[lockPath] = `${JSON.stringify(lock, null, 2)}\n`;
    }

    if (dryRun) {
      console.log(`release (dry run): ${current} → ${version}, dated ${date}`);
      const build = JSON.parse(pkgText).scripts?.build ? ', run npm run build' : '';
      console.log(`would write ${Object.keys(files).join(', ')}${build}, commit "Release ${tag}" and tag ${tag}`);
      console.log(`its notes:\n${releaseNotes(changelog, version)}`);
      return 0;
    }
    for (const [path, text] of Object.entries(files)) writeFileSync(path, text);
    if (JSON.parse(pkgText).scripts?.build) {
      console.log('release: npm run build (the bundles carry the version)');
      execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    }
    // The work tree was clean: what changed now is the version, the changelog and what the build made of them.
    git('-C', root, 'add', '--all');
    git('-C', root, 'commit', '--quiet', '-m', `Release ${tag}`);
    git('-C', root, 'tag', '-a', tag, '-m', `runbook-actions ${tag}`);
    console.log(`released ${current} → ${version}: committed "Release ${tag}" and tagged ${tag}`);
    console.log(`publish it: git push origin HEAD ${tag}   (.github/workflows/release.yml does the rest)`);
    return 0;
  } catch (err) {
    if (!(err instanceof ReleaseError) && !(err instanceof Error && 'stderr' in err)) throw err;
    const detail = 'stderr' in err && err.stderr ? `: ${String(err.stderr).trim()}` : '';
    console.error(`release: ${err.message}${detail}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
