// The notes of one release, from CHANGELOG.md, for `gh release create --notes-file` (.github/workflows/release.yml).
//   node scripts/release-notes.mjs v1.2.0 [--changelog FILE] [--package FILE] [--link-base URL]
// Prints the body of CHANGELOG.md's `## 1.2.0` section (also `## 1.2.0 - 2026-12-01`, `## [1.2.0]`, `## v1.2.0`);
// with --link-base, a link to a file of the repository (`[x](docs/a.md)`) points under URL, as a release page needs.
// Fails (exit 1, the reason on stderr) when the tag is not `v` + a semantic version, when package.json's version is
// another one, or when the changelog has no section for it or an empty one. Plain node, no dependency: the release
// job runs it with a token that can write to the repository, before and without `npm ci`.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** A semantic version (semver.org 2.0.0), without the `v`. */
export const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** The version a release tag names: `v1.2.0` → `1.2.0`; anything else throws. */
export function versionOfTag(tag) {
  const version = tag.startsWith('v') ? tag.slice(1) : '';
  if (!SEMVER.test(version)) {
    throw new Error(`tag ${JSON.stringify(tag)} is not a release tag: v + a semantic version (v1.2.0, v2.0.0-rc.1)`);
  }
  return version;
}

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The body of the changelog's `## <version>` section, trimmed; throws when there is none or it is empty. */
export function releaseNotes(changelog, version) {
  const heading = new RegExp(`^##\\s+\\[?v?${escapeRegExp(version)}\\]?(?:\\s|$)`);
  const lines = changelog.split(/\r?\n/);
  const start = lines.findIndex((line) => heading.test(line));
  if (start === -1) throw new Error(`CHANGELOG has no "## ${version}" section`);
  const end = lines.findIndex((line, i) => i > start && /^#{1,2}\s/.test(line));
  const body = lines
    .slice(start + 1, end === -1 ? undefined : end)
    .join('\n')
    .trim();
  if (body === '') throw new Error(`CHANGELOG's "## ${version}" section is empty`);
  return body;
}

/** Relative Markdown links made absolute under `base` (links with a scheme, anchors and absolute paths kept). */
export function absoluteLinks(markdown, base) {
  const root = base.replace(/\/+$/, '');
  return markdown.replace(
    /\]\((?![a-z][a-z0-9+.-]*:|#|\/)([^)\s]+)\)/gi,
    (_, path) => `](${root}/${path.replace(/^\.\//, '')})`,
  );
}

function option(args, name, fallback) {
  const at = args.indexOf(name);
  return at === -1 ? fallback : args[at + 1];
}

function main(args) {
  const tag = args[0];
  if (!tag || tag.startsWith('--')) {
    console.error('usage: node scripts/release-notes.mjs vX.Y.Z [--changelog FILE] [--package FILE] [--link-base URL]');
    return 2;
  }
  try {
    const version = versionOfTag(tag);
    const pkgFile = option(args, '--package', 'package.json');
    const pkgVersion = JSON.parse(readFileSync(pkgFile, 'utf8')).version;
    if (pkgVersion !== version) {
      throw new Error(`tag ${tag} is not ${pkgFile}'s version ${pkgVersion}: release with npm run release`);
    }
    const notes = releaseNotes(readFileSync(option(args, '--changelog', 'CHANGELOG.md'), 'utf8'), version);
    const base = option(args, '--link-base', undefined);
    process.stdout.write(`${base ? absoluteLinks(notes, base) : notes}\n`);
    return 0;
  } catch (err) {
    console.error(`release-notes: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
