import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fingerprint,
  hostKeyAlgorithmsFor,
  keyType,
  knownHostsName,
  lookupHostKeys,
  parseKnownHosts,
  verifyHostKey,
} from '../../../src/transports/known-hosts.js';

const run = promisify(execFile);

/** A syntactically valid SSH public key blob: string(type) + string(32 random bytes). */
function blob(type = 'ssh-ed25519'): Buffer {
  const t = Buffer.from(type);
  const body = randomBytes(32);
  const len = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  return Buffer.concat([len(t.length), t, len(body.length), body]);
}
const b64 = (key: Buffer) => key.toString('base64');
const line = (hosts: string, key: Buffer, marker = '') =>
  `${marker ? `${marker} ` : ''}${hosts} ${keyType(key)} ${b64(key)} comment`;

/** What `ssh-keygen -H` writes for a host name: |1|base64(salt)|base64(HMAC-SHA1(salt, name)). */
function hashed(name: string, salt = randomBytes(20)): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

const K1 = blob();
const K2 = blob();
const RSA = blob('ssh-rsa');

describe('parseKnownHosts + lookupHostKeys', () => {
  const cases: Array<{ name: string; text: string; host: string; port: number; keys: Buffer[]; revoked?: Buffer[] }> = [
    { name: 'plain host, port 22', text: line('example.com', K1), host: 'example.com', port: 22, keys: [K1] },
    {
      name: 'plain host does not match another port',
      text: line('example.com', K1),
      host: 'example.com',
      port: 2222,
      keys: [],
    },
    { name: '[host]:port form', text: line('[example.com]:2222', K1), host: 'example.com', port: 2222, keys: [K1] },
    {
      name: '[host]:port does not match port 22',
      text: line('[example.com]:2222', K1),
      host: 'example.com',
      port: 22,
      keys: [],
    },
    {
      name: 'comma-separated patterns',
      text: line('a.test,10.0.0.5,b.test', K1),
      host: '10.0.0.5',
      port: 22,
      keys: [K1],
    },
    { name: 'case-insensitive', text: line('Web.Example.COM', K1), host: 'web.example.com', port: 22, keys: [K1] },
    { name: 'wildcard *', text: line('*.example.com', K1), host: 'web1.example.com', port: 22, keys: [K1] },
    { name: 'wildcard * needs the dot', text: line('*.example.com', K1), host: 'example.com', port: 22, keys: [] },
    { name: 'wildcard ?', text: line('web?.example.com', K1), host: 'web7.example.com', port: 22, keys: [K1] },
    {
      name: 'wildcard ? is one char',
      text: line('web?.example.com', K1),
      host: 'web10.example.com',
      port: 22,
      keys: [],
    },
    {
      name: 'wildcard in [host]:port',
      text: line('[*.example.com]:2222', K1),
      host: 'db.example.com',
      port: 2222,
      keys: [K1],
    },
    {
      name: 'regex characters are literal',
      text: line('web.example.com', K1),
      host: 'webXexample.com',
      port: 22,
      keys: [],
    },
    {
      name: 'negation excludes a host',
      text: line('*.example.com,!bad.example.com', K1),
      host: 'bad.example.com',
      port: 22,
      keys: [],
    },
    {
      name: 'negation leaves other hosts',
      text: line('*.example.com,!bad.example.com', K1),
      host: 'good.example.com',
      port: 22,
      keys: [K1],
    },
    {
      name: 'negation alone matches nothing',
      text: line('!bad.example.com', K1),
      host: 'other.test',
      port: 22,
      keys: [],
    },
    { name: 'hashed entry', text: line(hashed('[127.0.0.1]:2222'), K1), host: '127.0.0.1', port: 2222, keys: [K1] },
    {
      name: 'hashed entry, other port',
      text: line(hashed('[127.0.0.1]:2222'), K1),
      host: '127.0.0.1',
      port: 2223,
      keys: [],
    },
    { name: 'hashed entry, port 22', text: line(hashed('server.test'), K1), host: 'server.test', port: 22, keys: [K1] },
    {
      name: 'several keys per host (rotation)',
      text: [line('host.test', K1), line('host.test', RSA), line('other.test', K2)].join('\n'),
      host: 'host.test',
      port: 22,
      keys: [K1, RSA],
    },
    {
      name: 'comments, blank lines, indentation, tabs',
      text: `# pinned keys\n\n   ${line('host.test', K1)}\n\t# another\nhost.test\tssh-ed25519\t${b64(K2)}\n`,
      host: 'host.test',
      port: 22,
      keys: [K1, K2],
    },
    {
      name: 'CRLF line endings',
      text: `# c\r\n${line('host.test', K1)}\r\n${line('host.test', K2)}\r\n`,
      host: 'host.test',
      port: 22,
      keys: [K1, K2],
    },
    {
      name: '@revoked is reported separately',
      text: [line('*', K2, '@revoked'), line('host.test', K1)].join('\n'),
      host: 'host.test',
      port: 22,
      keys: [K1],
      revoked: [K2],
    },
  ];

  it.each(cases)('$name', ({ text, host, port, keys, revoked = [] }) => {
    const found = lookupHostKeys(parseKnownHosts(text), host, port);
    expect(found.keys.map((k) => k.key.toString('base64'))).toEqual(keys.map(b64));
    expect(found.keys.map((k) => k.type)).toEqual(keys.map((k) => keyType(k)));
    expect(found.revoked.map(b64)).toEqual(revoked.map(b64));
  });

  it('skips @cert-authority lines with a note for the caller', () => {
    const db = parseKnownHosts(`${line('*.example.com', K1, '@cert-authority')}\n${line('host.test', K2)}`);
    expect(db.entries).toHaveLength(1);
    expect(db.notes).toEqual([expect.stringMatching(/line 1: @cert-authority entries are ignored/)]);
    expect(lookupHostKeys(db, 'web.example.com', 22).keys).toEqual([]);
  });

  it('skips malformed lines with notes instead of throwing', () => {
    const text = [
      'host.test',
      'host.test ssh-ed25519 !!!notbase64',
      `host.test ssh-rsa ${b64(K1)}`,
      `|1|bad|hash ssh-ed25519 ${b64(K1)}`,
      `@weird host.test ssh-ed25519 ${b64(K1)}`,
      line('good.test', K2),
    ].join('\n');
    const db = parseKnownHosts(text);
    expect(db.entries.map((e) => e.line)).toEqual([6]);
    expect(db.notes).toHaveLength(5);
    expect(db.notes[2]).toMatch(/line 3: key type ssh-rsa does not match the key data \(ssh-ed25519\)/);
  });

  it('knownHostsName uses [host]:port only off port 22', () => {
    expect(knownHostsName('Example.com', 22)).toBe('example.com');
    expect(knownHostsName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
  });
});

describe('verifyHostKey', () => {
  const db = parseKnownHosts([line('[127.0.0.1]:2222', K1), line('[127.0.0.1]:2222', RSA)].join('\n'));

  it('accepts any of the pinned keys', () => {
    expect(verifyHostKey(db, '127.0.0.1', 2222, K1)).toEqual({ ok: true });
    expect(verifyHostKey(db, '127.0.0.1', 2222, RSA)).toEqual({ ok: true });
  });

  it('reports a mismatch with both fingerprints and what to do', () => {
    const verdict = verifyHostKey(db, '127.0.0.1', 2222, K2);
    expect(verdict).toEqual({
      ok: false,
      reason: 'mismatch',
      message:
        `host key mismatch for [127.0.0.1]:2222: the server offered ssh-ed25519 ${fingerprint(K2)}, known_hosts pins ` +
        `${fingerprint(K1)}, ${fingerprint(RSA)} — if the key was rotated on purpose, update ssh-known-hosts`,
    });
  });

  it('reports a missing entry with the ssh-keyscan command', () => {
    const verdict = verifyHostKey(db, '127.0.0.1', 2223, K2);
    expect(verdict).toEqual({
      ok: false,
      reason: 'missing',
      message:
        `no known_hosts entry for [127.0.0.1]:2223 (server offered ssh-ed25519 ${fingerprint(K2)}); add the host's key ` +
        'to ssh-known-hosts (ssh-keyscan -p 2223 127.0.0.1, then verify the fingerprint out of band)',
    });
    const port22 = verifyHostKey(db, 'web.test', 22, K2);
    expect(port22.ok === false && port22.message).toContain('(ssh-keyscan web.test, then');
  });

  it('rejects a revoked key even when it is also pinned', () => {
    const revokedDb = parseKnownHosts([line('[127.0.0.1]:2222', K1), line('*', K1, '@revoked')].join('\r\n'));
    const verdict = verifyHostKey(revokedDb, '127.0.0.1', 2222, K1);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok === false && verdict.reason).toBe('revoked');
    expect(verdict.ok === false && verdict.message).toContain(`marked @revoked in ssh-known-hosts`);
    expect(verdict.ok === false && verdict.message).toContain(fingerprint(K1));
  });
});

describe('host key algorithms', () => {
  it.each([
    ['ssh-ed25519', ['ssh-ed25519']],
    ['ssh-rsa', ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']],
    ['ecdsa-sha2-nistp256', ['ecdsa-sha2-nistp256']],
    ['sk-ssh-ed25519@openssh.com', []],
  ])('%s → %j', (type, algorithms) => {
    expect(hostKeyAlgorithmsFor(type)).toEqual(algorithms);
  });
});

describe('against real ssh-keygen', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'known-hosts-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['ed25519', 'rsa', 'ecdsa'])('fingerprint() equals ssh-keygen -lf for a %s key', async (type) => {
    const file = join(dir, `key_${type}`);
    await run('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'test', '-f', file]);
    const pub = (await readFile(`${file}.pub`, 'utf8')).split(' ');
    const { stdout } = await run('ssh-keygen', ['-lf', `${file}.pub`]);
    const expected = stdout.split(' ')[1];
    expect(expected).toMatch(/^SHA256:/);
    expect(fingerprint(Buffer.from(pub[1] ?? '', 'base64'))).toBe(expected);
    expect(keyType(Buffer.from(pub[1] ?? '', 'base64'))).toBe(pub[0]);
  });

  it('reads entries hashed by ssh-keygen -H', async () => {
    const file = join(dir, 'known_hosts');
    await writeFile(file, `${line('[10.1.2.3]:2200', K1)}\n${line('plain.test', K2)}\n`);
    await run('ssh-keygen', ['-H', '-f', file]);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('10.1.2.3');
    expect(text).toMatch(/^\|1\|/m);
    const db = parseKnownHosts(text);
    expect(lookupHostKeys(db, '10.1.2.3', 2200).keys.map((k) => b64(k.key))).toEqual([b64(K1)]);
    expect(lookupHostKeys(db, 'plain.test', 22).keys.map((k) => b64(k.key))).toEqual([b64(K2)]);
    expect(lookupHostKeys(db, '10.1.2.3', 22).keys).toEqual([]);
  });
});
