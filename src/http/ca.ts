/** CA certificates a request trusts instead of Node's store (e.g. a health probe's `tls.ca-file`). */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The certificates of a PEM text (one or more `BEGIN CERTIFICATE` blocks; other blocks and text around them are
 * ignored), as PEM text for `tls.connect({ ca })`. Throws an Error saying what is wrong: no certificate block, or a
 * block that does not parse.
 */
export function parseCaPem(text: string): string {
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) {
    const hint = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) ? ' (it holds a private key, not a certificate)' : '';
    throw new Error(`no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)${hint}`);
  }
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch (err) {
      throw new Error(`certificate ${i + 1} of ${blocks.length} does not parse: ${(err as Error).message}`);
    }
  });
  return `${blocks.join('\n')}\n`;
}

/** Read and check a PEM CA file on the runner. Throws an Error naming the path and the reason. */
export async function readCaFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    throw new Error(`cannot read ${path}: ${why}`);
  }
  try {
    return parseCaPem(text);
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`);
  }
}
