/** The prerequisite argv builders (exact argv) and parsers; the state-dir probe script run for real with sh. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composeConfigCheck } from '../../../src/commands/compose.js';
import {
  commandPathArgv,
  isNginxMaster,
  isSudo,
  parsePidFile,
  parseSocketAccess,
  parseStateDirProbe,
  processArgsArgv,
  signalCheckArgv,
  socketAccessArgv,
  stateDirProbeArgv,
  sudoListArgv,
  sudoListingArgv,
  sudoNonInteractive,
  sudoPasswordFor,
} from '../../../src/commands/prerequisites.js';
import type { ComposeConfig } from '../../../src/config/schema.js';

const compose = (c: Partial<ComposeConfig> = {}): ComposeConfig => ({
  command: ['docker', 'compose'],
  directory: '/srv/shop',
  'version-env': 'APP_VERSION',
  pull: true,
  ...c,
});

describe('argv builders', () => {
  it.each([
    ['sudo -n, sudo', sudoNonInteractive(['sudo', 'nginx', '-t']), ['sudo', '-n', 'nginx', '-t']],
    [
      'sudo -n, full path',
      sudoNonInteractive(['/usr/bin/sudo', '-u', 'root', 'nginx', '-t']),
      ['/usr/bin/sudo', '-n', '-u', 'root', 'nginx', '-t'],
    ],
    ['sudo -n leaves others', sudoNonInteractive(['nginx', '-t']), ['nginx', '-t']],
    [
      'sudo -n -l <command>',
      sudoListArgv(['sudo', 'nginx', '-s', 'reload']),
      ['sudo', '-n', '-l', 'nginx', '-s', 'reload'],
    ],
    ['sudo -n -l', sudoListingArgv('/usr/bin/sudo'), ['/usr/bin/sudo', '-n', '-l']],
    ['ps', processArgsArgv(4242), ['ps', '-o', 'args=', '-p', '4242']],
    ['kill -0', signalCheckArgv(4242), ['kill', '-0', '4242']],
    ['command -v', commandPathArgv('nginx'), ['sh', '-c', 'command -v "$1"', 'sh', 'nginx']],
    ['compose config, v2 defaults', composeConfigCheck(compose()), ['docker', 'compose', 'config', '-q']],
    [
      'compose config, v1 with project, files, env file',
      composeConfigCheck(
        compose({ command: ['docker-compose'], project: 'shop', files: ['a.yml', 'b.yml'], 'env-file': '.env' }),
      ),
      ['docker-compose', '-p', 'shop', '-f', 'a.yml', '-f', 'b.yml', '--env-file', '.env', 'config', '-q'],
    ],
  ])('%s', (_name, argv, want) => {
    expect(argv).toEqual(want);
  });

  it('scripts are constants: every value is a positional argument after "sh"', () => {
    const dir = "/srv/it's; rm -rf /";
    const probe = stateDirProbeArgv(dir, `${dir}/journal.json`);
    expect(probe.slice(0, 2)).toEqual(['sh', '-c']);
    expect(probe.slice(3)).toEqual(['sh', dir, `${dir}/journal.json`]);
    expect(probe[2]).not.toContain(dir);
    expect(socketAccessArgv(dir).slice(3)).toEqual(['sh', dir]);
  });

  it.each([
    [['sudo', 'nginx'], true],
    [['/usr/bin/sudo', 'nginx'], true],
    [['pseudo'], false],
    [['nginx', '-t'], false],
  ])('isSudo(%j) = %s', (argv, want) => {
    expect(isSudo(argv)).toBe(want);
  });
});

describe('parsers', () => {
  it.each([
    [
      'writable exists /var/lib/runbook/shop/prod\n',
      { writable: true, state: 'exists', dir: '/var/lib/runbook/shop/prod' },
    ],
    ['not-writable missing /var/lib\n', { writable: false, state: 'missing', dir: '/var/lib' }],
    ['not-writable not-a-directory /srv/file\n', { writable: false, state: 'not-a-directory', dir: '/srv/file' }],
    [
      'writable exists /s\nunreadable /s/journal.json\n',
      { writable: true, state: 'exists', dir: '/s', unreadable: '/s/journal.json' },
    ],
  ])('state dir probe %j', (stdout, want) => {
    expect(parseStateDirProbe(stdout)).toEqual(want);
  });

  it('state dir probe: anything else is an error naming the output', () => {
    expect(() => parseStateDirProbe('sh: not found')).toThrow(/unexpected output of the state directory probe/);
  });

  it.each([
    ['1234\n', 1234],
    [' 7 ', 7],
    ['', undefined],
    ['0', undefined],
    ['12a', undefined],
    ['1\n2', undefined],
  ])('pid file %j → %s', (text, want) => {
    expect(parsePidFile(text)).toBe(want);
  });

  it('nginx master by its process title', () => {
    expect(isNginxMaster('nginx: master process /usr/sbin/nginx -c /etc/nginx/nginx.conf')).toBe(true);
    expect(isNginxMaster('nginx: worker process')).toBe(false);
    expect(isNginxMaster('/usr/sbin/sshd -D')).toBe(false);
  });

  it('socket access', () => {
    expect(['ok\n', 'denied', 'not-a-socket', 'missing', 'eh'].map(parseSocketAccess)).toEqual([
      'ok',
      'denied',
      'not-a-socket',
      'missing',
      undefined,
    ]);
  });
});

describe('sudoPasswordFor: is the entry allowing a command NOPASSWD? (sudo -l output)', () => {
  const listing = (...entries: string[]) =>
    [
      'Matching Defaults entries for deploy on web1:',
      '    env_reset, mail_badpass, secure_path=/usr/local/sbin\\:/usr/local/bin',
      '',
      'User deploy may run the following commands on web1:',
      ...entries.map((e) => `    ${e}`),
    ].join('\n');
  it.each([
    [
      'one NOPASSWD rule per command',
      listing('(root) NOPASSWD: /usr/sbin/nginx -t, /usr/sbin/nginx -s reload'),
      'nopasswd',
    ],
    [
      'test NOPASSWD, reload not',
      listing('(root) NOPASSWD: /usr/sbin/nginx -t', '(root) /usr/sbin/nginx -s reload'),
      'passwd',
    ],
    [
      'PASSWD switches the tag off within a line',
      listing('(root) NOPASSWD: /usr/sbin/nginx -t, PASSWD: /usr/sbin/nginx -s reload'),
      'passwd',
    ],
    ['a path without arguments allows any', listing('(root) NOPASSWD: /usr/sbin/nginx'), 'nopasswd'],
    ['ALL', listing('(ALL : ALL) ALL'), 'passwd'],
    ['the last matching entry wins', listing('(ALL : ALL) ALL', '(root) NOPASSWD: /usr/sbin/nginx -s *'), 'nopasswd'],
    ['a negated command never matches', listing('(root) NOPASSWD: !/usr/sbin/nginx -s reload'), 'unknown'],
    ['another command only', listing('(root) NOPASSWD: /usr/bin/systemctl reload nginx'), 'unknown'],
    ['no listing', 'sudo: a password is required', 'unknown'],
  ])('%s', (_name, text, want) => {
    expect(sudoPasswordFor(text, '/usr/sbin/nginx -s reload')).toBe(want);
  });
});

describe('the state dir probe script, run with sh', () => {
  const root = mkdtempSync(join(tmpdir(), 'state-probe-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const probe = (dir: string) => {
    const [program, ...args] = stateDirProbeArgv(dir, `${dir}/journal.json`);
    return parseStateDirProbe(execFileSync(program as string, args, { encoding: 'utf8' }));
  };

  it('an existing directory: written and removed, nothing left', () => {
    const dir = join(root, 'exists');
    mkdirSync(dir);
    writeFileSync(join(dir, 'journal.json'), '{}');
    expect(probe(dir)).toEqual({ writable: true, state: 'exists', dir });
    expect(readdirSync(dir)).toEqual(['journal.json']);
  });

  it('a missing directory: probed in its nearest existing ancestor, nothing created', () => {
    const dir = join(root, 'a', 'b', 'c');
    expect(probe(dir)).toEqual({ writable: true, state: 'missing', dir: root });
    expect(readdirSync(root).filter((n) => n !== 'exists')).toEqual([]);
  });

  it('a file in the way', () => {
    writeFileSync(join(root, 'file'), '');
    expect(probe(join(root, 'file', 'state'))).toEqual({
      writable: false,
      state: 'not-a-directory',
      dir: join(root, 'file'),
    });
  });
});
