/** The `ssh-private-key` input: normalised and parsed in memory, with errors that never echo key material. */
import ssh2 from 'ssh2';
import { ConnectionError } from '../core/errors.js';
import { fingerprint } from './known-hosts.js';

export interface PrivateKeyInfo {
  /** The key text with LF line endings and surrounding whitespace trimmed: what ssh2 is given. */
  text: string;
  /** Public key type, e.g. `ssh-ed25519`. */
  type: string;
  /** `SHA256:…` of the public key, safe to print. */
  fingerprint: string;
}

/** Normalise CRLF/CR line endings (keys pasted into secrets on Windows) and stray surrounding whitespace. */
function normalizeKeyText(text: string): string {
  return `${text.replace(/\r\n?/g, '\n').trim()}\n`;
}

/** Parse the private key (decrypting it with `passphrase` if needed) or throw a ConnectionError that says why. */
export function parsePrivateKey(text: string, passphrase?: string): PrivateKeyInfo {
  const normalized = normalizeKeyText(text);
  if (normalized.trim() === '') throw keyError('the value is empty');
  const parsed = ssh2.utils.parseKey(normalized, passphrase === '' ? undefined : passphrase);
  if (parsed instanceof Error) throw keyError(describeParseError(parsed.message, passphrase));
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key === undefined) throw keyError('no key found');
  if (key.getPrivatePEM() === null) {
    throw keyError('this is a public key; give the private key (the file without .pub)');
  }
  const pub = key.getPublicSSH();
  return { text: normalized, type: key.type, fingerprint: fingerprint(Buffer.from(pub)) };
}

function keyError(detail: string): ConnectionError {
  return new ConnectionError(`ssh-private-key could not be parsed: ${detail}`);
}

function describeParseError(message: string, passphrase: string | undefined): string {
  const hasPassphrase = passphrase !== undefined && passphrase !== '';
  if (/no passphrase given/i.test(message)) {
    return 'the key is encrypted but no ssh-passphrase was given';
  }
  if (/bad passphrase|integrity check failed|bad decrypt|decrypt/i.test(message) && hasPassphrase) {
    return 'wrong ssh-passphrase (the key could not be decrypted)';
  }
  if (/unsupported key format/i.test(message)) {
    return 'not an OpenSSH or PEM private key (expected "-----BEGIN OPENSSH PRIVATE KEY-----" or a PEM block)';
  }
  // ssh2's messages are fixed strings, but strip anything that looks like encoded data to be sure.
  return message.replace(/[A-Za-z0-9+/=]{16,}/g, '…').slice(0, 200);
}
