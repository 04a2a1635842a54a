import { describe, expect, it } from 'vitest';
import {
  catArgv,
  catFilesArgv,
  existsArgv,
  gzipTestArgv,
  listDirArgv,
  mkdirArgv,
  mkdirExclusiveArgv,
  removeFilesArgv,
  removeTreeArgv,
  renameArgv,
  sha256Argv,
  sizeArgv,
  syncPathArgv,
  tailArgv,
  writeSyncedArgv,
} from '../../../src/commands/files.js';

/** A path that looks like an option: after `--` it stays a path. */
const dash = '-rf';

describe('file argv', () => {
  it.each([
    ['cat', catArgv('/s/journal.json'), ['cat', '--', '/s/journal.json']],
    ['cat of an option-like name', catArgv(dash), ['cat', '--', '-rf']],
    ['cat of several files', catFilesArgv(['/b/a.meta', '/b/b.meta']), ['cat', '--', '/b/a.meta', '/b/b.meta']],
    ['test -e', existsArgv('/b/x.dump'), ['test', '-e', '/b/x.dump']],
    ['mkdir -p', mkdirArgv('/s/prod'), ['mkdir', '-p', '--', '/s/prod']],
    ['mkdir (the lock)', mkdirExclusiveArgv('/s/prod/lock'), ['mkdir', '--', '/s/prod/lock']],
    ['rm -rf', removeTreeArgv('/s/prod/lock.stale-1'), ['rm', '-rf', '--', '/s/prod/lock.stale-1']],
    ['rm -f of files', removeFilesArgv(['/b/x.dump', dash]), ['rm', '-f', '--', '/b/x.dump', '-rf']],
    ['rm -f of nothing', removeFilesArgv([]), ['rm', '-f', '--']],
    ['mv -f', renameArgv('/a.tmp-1', '/a'), ['mv', '-f', '--', '/a.tmp-1', '/a']],
    ['dd conv=fsync', writeSyncedArgv('/s/f.tmp-2'), ['dd', 'of=/s/f.tmp-2', 'conv=fsync', 'status=none']],
    ['sync', syncPathArgv('/s'), ['sync', '--', '/s']],
    ['ls -1 -A', listDirArgv('/b'), ['ls', '-1', '-A', '--', '/b']],
    ['sha256sum', sha256Argv('/b/x.dump'), ['sha256sum', '--', '/b/x.dump']],
    ['stat size', sizeArgv('/b/x.dump'), ['stat', '-c', '%s', '--', '/b/x.dump']],
    ['tail -c', tailArgv('/b/x.sql', 512), ['tail', '-c', '512', '--', '/b/x.sql']],
    ['gzip -t', gzipTestArgv('/b/x.sql.gz'), ['gzip', '-t', '--', '/b/x.sql.gz']],
  ])('%s', (_name, argv, expected) => {
    expect(argv).toEqual(expected);
  });
});
