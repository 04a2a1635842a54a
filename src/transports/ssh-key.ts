/** The `ssh-private-key` input: normalised and parsed in memory, with errors that never echo key material. */
import ssh2 from 'ssh2';
import { ConnectionError } from '../core/errors.js';
import { fingerprint } from './known-hosts.js';
import { SSH_KEY_INPUT, SSH_PASSPHRASE_INPUT } from './ssh-inputs.js';
import { CONVERT_HINT, isPkcs8, Pkcs8Error, pkcs8ToSsh2 } from './ssh-key-pkcs8.js';

export interface PrivateKeyInfo {
  /**
   * The key text ssh2 is given: the input with LF line endings and surrounding whitespace trimmed, or — for a PKCS#8
   * key, which ssh2 cannot parse — the same key re-encoded in memory (decrypted; never written anywhere).
   */
  text: string;
  /** The passphrase `text` needs (undefined when it is not encrypted, e.g. a converted PKCS#8 key). */
  passphrase?: string;
  /** Public key type, e.g. `ssh-ed25519`. */
  type: string;
  /** `SHA256:…` of the public key, safe to print. */
  fingerprint: string;
  /** How the input was given, when it had to be converted (`PKCS#8`), for the debug log. */
  convertedFrom?: string;
}

/** Normalise CRLF/CR line endings (keys pasted into secrets on Windows) and stray surrounding whitespace. */
function normalizeKeyText(text: string): string {
  return `${text.replace(/\r\n?/g, '\n').trim()}\n`;
}

/** Parse the private key (decrypting it with `passphrase` if needed) or throw a ConnectionError that says why. */
export function parsePrivateKey(text: string, passphrase?: string): PrivateKeyInfo {
  const normalized = normalizeKeyText(text);
  if (normalized.trim() === '') throw keyError('the value is empty');
  const given = passphrase === '' ? undefined : passphrase;
  if (isPkcs8(normalized)) return parsePkcs8(normalized, given);
  const parsed = ssh2.utils.parseKey(normalized, given);
  if (parsed instanceof Error) throw keyError(describeParseError(parsed.message, given));
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key === undefined) throw keyError('no key found');
  if (key.getPrivatePEM() === null) {
    throw keyError('this is a public key; give the private key (the file without .pub)');
  }
  const pub = key.getPublicSSH();
  return { text: normalized, passphrase: given, type: key.type, fingerprint: fingerprint(Buffer.from(pub)) };
}

function parsePkcs8(normalized: string, passphrase: string | undefined): PrivateKeyInfo {
  let converted: string;
  try {
    converted = pkcs8ToSsh2(normalized, passphrase);
  } catch (err) {
    if (!(err instanceof Pkcs8Error)) throw err;
    if (err.reason === 'no-passphrase') {
      throw keyError(`the key is encrypted (BEGIN ENCRYPTED PRIVATE KEY) but no ${SSH_PASSPHRASE_INPUT} was given`);
    }
    if (err.reason === 'bad-passphrase')
      throw keyError(`wrong ${SSH_PASSPHRASE_INPUT} (the key could not be decrypted)`);
    throw keyError(`PKCS#8 key: ${err.detail}`);
  }
  const parsed = ssh2.utils.parseKey(converted);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (parsed instanceof Error || key === undefined) {
    throw keyError(
      `the PKCS#8 key could not be used (${parsed instanceof Error ? parsed.message : 'no key'}): ${CONVERT_HINT}`,
    );
  }
  return {
    text: converted,
    type: key.type,
    fingerprint: fingerprint(Buffer.from(key.getPublicSSH())),
    convertedFrom: 'PKCS#8',
  };
}

function keyError(detail: string): ConnectionError {
  return new ConnectionError(`${SSH_KEY_INPUT} could not be parsed: ${detail}`);
}

function describeParseError(message: string, passphrase: string | undefined): string {
  if (/no passphrase given/i.test(message)) {
    return `the key is encrypted but no ${SSH_PASSPHRASE_INPUT} was given`;
  }
  if (/bad passphrase|integrity check failed|bad decrypt|decrypt/i.test(message) && passphrase !== undefined) {
    return `wrong ${SSH_PASSPHRASE_INPUT} (the key could not be decrypted)`;
  }
  if (/unsupported key format/i.test(message)) {
    return `not a private key format this action reads (OpenSSH "-----BEGIN OPENSSH PRIVATE KEY-----", PEM "-----BEGIN RSA/EC PRIVATE KEY-----" or PKCS#8 "-----BEGIN PRIVATE KEY-----"): ${CONVERT_HINT}`;
  }
  // ssh2's messages are fixed strings, but strip anything that looks like encoded data to be sure.
  return message.replace(/[A-Za-z0-9+/=]{16,}/g, '…').slice(0, 200);
}
