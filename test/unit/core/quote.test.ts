import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteArg, toRemoteCommand } from '../../../src/core/quote.js';

/** Run the remote command string through a real POSIX shell, the way sshd does (`$SHELL -c <string>`). */
function throughShell(shell: string, command: string): string[] {
  const r = spawnSync(shell, ['-c', command], { encoding: 'buffer' });
  expect(r.status, r.stderr.toString()).toBe(0);
  const out = r.stdout.toString('utf8');
  return out === '' ? [] : out.slice(0, -1).split('\0');
}

const printfArgv = (args: string[]): string[] => ['printf', '%s\\0', ...args];

describe('quoteArg', () => {
  it.each([
    ['plain', 'plain'],
    ['a/b.c:d=e,f@g%h+i-j_k', 'a/b.c:d=e,f@g%h+i-j_k'],
    ['', "''"],
    ['two words', "'two words'"],
    ["it's", `'it'\\''s'`],
    ['$(id)', "'$(id)'"],
    ['`id`', "'`id`'"],
    ['a;b', "'a;b'"],
    ['line\nbreak', "'line\nbreak'"],
    ['*', "'*'"],
    ['~', "'~'"],
  ])('%j → %s', (input, expected) => {
    expect(quoteArg(input)).toBe(expected);
  });

  it('refuses NUL, which no command line can carry', () => {
    expect(() => quoteArg('a\0b')).toThrow(/NUL/);
  });
});

describe('toRemoteCommand', () => {
  it.each([
    [['docker', 'ps'], {}, 'exec docker ps'],
    [['ls', '-la'], { cwd: '/opt/my app' }, "cd -- '/opt/my app' && exec ls -la"],
    [['env'], { env: { A: '1', B: 'x y' } }, "exec env A=1 'B=x y' env"],
    [['df', '-P', '--', '/'], { cwd: '/', env: { LC_ALL: 'C' } }, 'cd -- / && exec env LC_ALL=C df -P -- /'],
  ] as const)('%j %j → %s', (argv, opts, expected) => {
    expect(toRemoteCommand(argv, opts)).toBe(expected);
  });

  it.each([
    [[], /empty/],
    [[''], /empty/],
    [['-oProxyCommand=id'], /starts with "-"/],
    [['A=B', 'sh'], /contains "="/],
  ])('rejects %j', (argv, message) => {
    expect(() => toRemoteCommand(argv)).toThrow(message);
  });

  it('rejects environment names that are not identifiers', () => {
    expect(() => toRemoteCommand(['true'], { env: { 'A;id': 'x' } })).toThrow(/invalid environment variable name/);
  });

  it('hostile arguments reach the program exactly, through sh and bash', () => {
    const hostile = [
      "'",
      '"',
      '$(touch /tmp/pwned)',
      '`id`',
      'a;b',
      'a && b',
      'x|y',
      'new\nline',
      '*',
      '-n',
      '\\',
      '!',
      '#c',
      '',
    ];
    for (const shell of ['sh', 'bash']) {
      expect(throughShell(shell, toRemoteCommand(printfArgv(hostile)))).toEqual(hostile);
    }
  });

  it('property: any string without NUL survives the shell unchanged', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'binary' }).filter((s) => !s.includes('\0')),
          { minLength: 1, maxLength: 4 },
        ),
        (args) => {
          // printf's %s prints a lone surrogate as U+FFFD, like any UTF-8 round trip: compare what UTF-8 can carry.
          const expected = args.map((a) => Buffer.from(a, 'utf8').toString('utf8'));
          expect(throughShell('sh', toRemoteCommand(printfArgv(args)))).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
