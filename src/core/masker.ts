/**
 * Secret masking. A registered secret is hidden together with the forms it commonly leaks in: each line of a
 * multi-line value, base64 (at every byte alignment, so it is caught inside a longer encoded blob), base64url and
 * URL encoding.
 */

const MASK = '***';
/** Fragments shorter than this are not masked on their own: masking "a" or "1" would shred every log line. */
const MIN_FRAGMENT = 4;

export function derivedForms(secret: string): string[] {
  const forms = new Set<string>();
  const add = (v: string): void => {
    if (v.length >= MIN_FRAGMENT) forms.add(v);
  };
  // The whole value is always masked, however short; fragments and encodings only when long enough to mean anything.
  forms.add(secret);
  const values = [secret, ...secret.split(/\r?\n/).map((l) => l.trim())];
  for (const value of values) {
    if (value.length < MIN_FRAGMENT) continue;
    add(value);
    add(encodeURIComponent(value));
    add(encodeURI(value));
    const bytes = Buffer.from(value, 'utf8');
    add(bytes.toString('base64'));
    add(bytes.toString('base64').replace(/=+$/, ''));
    add(bytes.toString('base64url'));
    // The secret inside a longer base64 stream starts at offset 0, 1 or 2 of a 3-byte group. Encode it behind a
    // 1- or 2-byte prefix and keep only the characters that depend on the secret alone.
    for (const pad of [0, 1, 2]) {
      const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
      const skip = [0, 2, 3][pad] ?? 0;
      const stable = Math.floor(((pad + bytes.length) * 8) / 6);
      add(encoded.slice(skip, stable));
    }
  }
  // Longest first so a long form is replaced before a fragment of it.
  return [...forms].sort((a, b) => b.length - a.length);
}

export class Masker {
  private forms: string[] = [];
  private readonly secrets = new Set<string>();

  add(secret: string): string[] {
    if (secret === '' || this.secrets.has(secret)) return [];
    this.secrets.add(secret);
    const fresh = derivedForms(secret).filter((f) => !this.forms.includes(f));
    this.forms = [...this.forms, ...fresh].sort((a, b) => b.length - a.length);
    return fresh;
  }

  mask(text: string): string {
    let out = text;
    for (const form of this.forms) {
      if (out.includes(form)) out = out.split(form).join(MASK);
    }
    return out;
  }
}
