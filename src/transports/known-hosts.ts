/**
 * OpenSSH known_hosts, as given in the `ssh-known-hosts` input: parsing, lookup for a host and port, and the verdict
 * on the key a server offers. Supports plain and hashed (`|1|salt|hmac`) host patterns, `[host]:port`, wildcards,
 * negation, several keys per host, `@revoked`; `@cert-authority` lines are skipped with a note.
 */
import { createHash, createHmac } from 'node:crypto';

export interface HostKey {
  /** Key type as embedded in the key blob, e.g. `ssh-ed25519`. */
  type: string;
  /** The raw SSH wire-format public key blob. */
  key: Buffer;
}

type HostPattern =
  | { kind: 'plain'; pattern: string; negated: boolean }
  | { kind: 'hashed'; salt: Buffer; hash: Buffer };

export interface KnownHostsEntry extends HostKey {
  /** 1-based line number in the input. */
  line: number;
  revoked: boolean;
  patterns: HostPattern[];
}

export interface KnownHostsDb {
  entries: KnownHostsEntry[];
  /** Lines that were skipped and why (`@cert-authority`, malformed lines); for the caller to log. */
  notes: string[];
}

export interface HostKeyLookup {
  /** Keys pinned for the host (revoked keys included if also listed; `verifyHostKey` checks revocation first). */
  keys: HostKey[];
  /** Keys marked `@revoked` for the host. */
  revoked: Buffer[];
}

export type HostKeyVerdict = { ok: true } | { ok: false; reason: 'mismatch' | 'missing' | 'revoked'; message: string };

/** Parse known_hosts text. Never throws: bad lines are skipped and described in `notes`. */
export function parseKnownHosts(text: string): KnownHostsDb {
  const db: KnownHostsDb = { entries: [], notes: [] };
  const lines = text.split(/\r?\n|\r/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/[ \t]+/);
    let revoked = false;
    if (fields[0]?.startsWith('@')) {
      const marker = fields.shift();
      if (marker === '@cert-authority') {
        db.notes.push(
          `known_hosts line ${line}: @cert-authority entries are ignored (host certificates are not supported; pin the host's own key)`,
        );
        return;
      }
      if (marker !== '@revoked') {
        db.notes.push(`known_hosts line ${line}: unknown marker ${JSON.stringify(marker)}, line ignored`);
        return;
      }
      revoked = true;
    }
    const [hosts, declaredType, base64] = fields;
    if (hosts === undefined || declaredType === undefined || base64 === undefined) {
      db.notes.push(`known_hosts line ${line}: expected "hosts key-type base64-key", line ignored`);
      return;
    }
    const key = decodeBase64Strict(base64);
    const type = key === undefined ? undefined : keyType(key);
    if (key === undefined || type === undefined) {
      db.notes.push(`known_hosts line ${line}: the key is not valid base64 SSH key data, line ignored`);
      return;
    }
    if (type !== declaredType) {
      db.notes.push(
        `known_hosts line ${line}: key type ${declaredType} does not match the key data (${type}), line ignored`,
      );
      return;
    }
    const patterns = parsePatterns(hosts);
    if (patterns === undefined) {
      db.notes.push(`known_hosts line ${line}: malformed hashed host entry, line ignored`);
      return;
    }
    db.entries.push({ line, revoked, patterns, type, key });
  });
  return db;
}

/** The name known_hosts uses for a host and port: `host` for port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** Keys pinned and revoked for `host:port`. */
export function lookupHostKeys(db: KnownHostsDb, host: string, port: number): HostKeyLookup {
  const name = knownHostsName(host, port);
  const result: HostKeyLookup = { keys: [], revoked: [] };
  for (const entry of db.entries) {
    if (!entryMatches(entry.patterns, name)) continue;
    if (entry.revoked) result.revoked.push(entry.key);
    else result.keys.push({ type: entry.type, key: entry.key });
  }
  return result;
}

/** `SHA256:<base64 without padding>`, exactly as `ssh-keygen -lf` prints it. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type string at the start of an SSH public key blob, or undefined when the blob is malformed. */
export function keyType(key: Buffer): string | undefined {
  if (key.length < 4) return undefined;
  const len = key.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > key.length) return undefined;
  const type = key.subarray(4, 4 + len).toString('latin1');
  return /^[A-Za-z0-9@._-]+$/.test(type) ? type : undefined;
}

/** Decide whether the key a server offered for `host:port` is acceptable. Revocation wins over any pin. */
export function verifyHostKey(db: KnownHostsDb, host: string, port: number, offeredKey: Buffer): HostKeyVerdict {
  const { keys, revoked } = lookupHostKeys(db, host, port);
  const name = knownHostsName(host, port);
  const offered = `${keyType(offeredKey) ?? 'unknown-type'} ${fingerprint(offeredKey)}`;
  if (revoked.some((k) => k.equals(offeredKey))) {
    return {
      ok: false,
      reason: 'revoked',
      message: `host key for ${name} is marked @revoked in ssh-known-hosts: the server offered ${offered}; refusing to connect`,
    };
  }
  if (keys.some((k) => k.key.equals(offeredKey))) return { ok: true };
  if (keys.length === 0) {
    const scan = port === 22 ? `ssh-keyscan ${host}` : `ssh-keyscan -p ${port} ${host}`;
    return {
      ok: false,
      reason: 'missing',
      message:
        `no known_hosts entry for ${name} (server offered ${offered}); add the host's key to ssh-known-hosts ` +
        `(${scan}, then verify the fingerprint out of band)`,
    };
  }
  const pinned = keys.map((k) => fingerprint(k.key)).join(', ');
  return {
    ok: false,
    reason: 'mismatch',
    message:
      `host key mismatch for ${name}: the server offered ${offered}, known_hosts pins ${pinned} — ` +
      'if the key was rotated on purpose, update ssh-known-hosts',
  };
}

/** Host key algorithms (as negotiated in SSH KEX) that can present a key of this type. */
export function hostKeyAlgorithmsFor(type: string): string[] {
  if (type === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  if (type === 'ssh-ed25519' || type === 'ssh-dss' || /^ecdsa-sha2-nistp(256|384|521)$/.test(type)) return [type];
  return [];
}

function parsePatterns(hosts: string): HostPattern[] | undefined {
  if (hosts.startsWith('|')) {
    // |1|base64(salt)|base64(HMAC-SHA1(salt, name)) — a hashed entry holds exactly one name.
    const parts = hosts.split('|');
    if (parts.length !== 4 || parts[1] !== '1') return undefined;
    const salt = decodeBase64Strict(parts[2] ?? '');
    const hash = decodeBase64Strict(parts[3] ?? '');
    if (salt === undefined || hash === undefined || salt.length !== 20 || hash.length !== 20) return undefined;
    return [{ kind: 'hashed', salt, hash }];
  }
  return hosts
    .split(',')
    .filter((p) => p !== '')
    .map((p) => {
      const negated = p.startsWith('!');
      return { kind: 'plain' as const, pattern: (negated ? p.slice(1) : p).toLowerCase(), negated };
    });
}

/** OpenSSH semantics: the line matches when some positive pattern matches and no negated pattern does. */
function entryMatches(patterns: HostPattern[], name: string): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.kind === 'hashed') {
      if (createHmac('sha1', p.salt).update(name).digest().equals(p.hash)) matched = true;
    } else if (wildcardMatch(p.pattern, name)) {
      if (p.negated) return false;
      matched = true;
    }
  }
  return matched;
}

function wildcardMatch(pattern: string, name: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === name;
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's').test(name);
}

function decodeBase64Strict(text: string): Buffer | undefined {
  if (text === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const buf = Buffer.from(text, 'base64');
  return buf.length > 0 ? buf : undefined;
}
