/**
 * Secret masking. A registered secret is hidden together with the forms it commonly leaks in: each line of a
 * multi-line value, base64 (at every byte alignment, so it is caught inside a longer encoded blob), base64url and
 * URL encoding. Base64 wrapped at any width (`base64` prints 76 columns, PEM 64) is caught line by line: a line that
 * ends with the start of an encoded form, starts with its end, or lies wholly inside it has that part masked.
 */

const MASK = '***';
/** HTML's entities for `& < > " '`, as the summary builder escapes text (the same table as src/report/escape.ts). */
const HTML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Fragments shorter than this are not masked on their own: masking "a" or "1" would shred every log line. */
const MIN_FRAGMENT = 4;

/** The base64 encodings of `bytes` at offsets 0, 1 and 2 of a 3-byte group: only the characters `bytes` alone decide. */
function alignedBase64(bytes: Buffer): string[] {
  return [0, 1, 2].map((pad) => {
    const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
    const skip = [0, 2, 3][pad] ?? 0;
    return encoded.slice(skip, Math.floor(((pad + bytes.length) * 8) / 6));
  });
}

/** The values a secret is masked by: itself and, when long enough, each of its lines. */
function values(secret: string): string[] {
  return [secret, ...secret.split(/\r?\n/).map((l) => l.trim())].filter((v) => v.length >= MIN_FRAGMENT);
}

export function derivedForms(secret: string): string[] {
  const forms = new Set<string>();
  const add = (v: string): void => {
    if (v.length >= MIN_FRAGMENT) forms.add(v);
  };
  // The whole value is always masked, however short; fragments and encodings only when long enough to mean anything.
  forms.add(secret);
  for (const value of values(secret)) {
    add(value);
    add(encodeURIComponent(value));
    add(encodeURI(value));
    // As the job summary writes it (src/report/escape.ts htmlText: entities, a zero-width space after `@`): escaped
    // before the masked runner sees it.
    add(value.replace(/[&<>"']/g, (ch) => HTML_ENTITY[ch] ?? ch).replaceAll('@', '@\u200b'));
    const bytes = Buffer.from(value, 'utf8');
    add(bytes.toString('base64'));
    add(bytes.toString('base64').replace(/=+$/, ''));
    add(bytes.toString('base64url'));
    for (const form of alignedBase64(bytes)) add(form);
  }
  // Longest first so a long form is replaced before a fragment of it.
  return [...forms].sort((a, b) => b.length - a.length);
}

/** The base64 streams a wrapped encoding of `secret` is cut from (padded, and at each alignment). */
export function base64Streams(secret: string): string[] {
  return values(secret).flatMap((v) => {
    const bytes = Buffer.from(v, 'utf8');
    return [bytes.toString('base64'), ...alignedBase64(bytes)].filter((s) => s.length >= MIN_FRAGMENT);
  });
}

const TRAILING_B64 = /[A-Za-z0-9+/=]+$/;
const LEADING_B64 = /^[A-Za-z0-9+/=]+/;

/** The length of the longest piece (≥ MIN_FRAGMENT) at the end of `run` that starts `stream` (shorter than it). */
function endsWithStart(run: string, stream: string): number {
  for (let k = Math.min(run.length, stream.length - 1); k >= MIN_FRAGMENT; k--) {
    if (stream.startsWith(run.slice(-k))) return k;
  }
  return 0;
}

/** The length of the longest piece (≥ MIN_FRAGMENT) at the start of `run` that ends `stream` (shorter than it). */
function startsWithEnd(run: string, stream: string): number {
  for (let k = Math.min(run.length, stream.length - 1); k >= MIN_FRAGMENT; k--) {
    if (stream.endsWith(run.slice(0, k))) return k;
  }
  return 0;
}

/** One line with the pieces of a wrapped base64 stream masked (the line's own ending, `\r`, kept). */
function maskWrappedLine(line: string, streams: readonly string[]): string {
  const body = line.endsWith('\r') ? line.slice(0, -1) : line;
  const cr = body.length < line.length ? '\r' : '';
  if (body.length < MIN_FRAGMENT) return line;
  if (LEADING_B64.exec(body)?.[0] === body && streams.some((s) => s.includes(body))) return MASK + cr;
  let head = 0;
  let tail = 0;
  const lead = LEADING_B64.exec(body)?.[0] ?? '';
  const trail = TRAILING_B64.exec(body)?.[0] ?? '';
  for (const s of streams) {
    if (lead.length >= MIN_FRAGMENT) head = Math.max(head, startsWithEnd(lead, s));
    if (trail.length >= MIN_FRAGMENT) tail = Math.max(tail, endsWithStart(trail, s));
  }
  if (head === 0 && tail === 0) return line;
  if (head + tail >= body.length) return MASK + cr;
  return `${head > 0 ? MASK : ''}${body.slice(head, body.length - tail)}${tail > 0 ? MASK : ''}${cr}`;
}

export class Masker {
  private forms: string[] = [];
  private streams: string[] = [];
  private readonly secrets = new Set<string>();

  add(secret: string): string[] {
    if (secret === '' || this.secrets.has(secret)) return [];
    this.secrets.add(secret);
    const fresh = derivedForms(secret).filter((f) => !this.forms.includes(f));
    this.forms = [...this.forms, ...fresh].sort((a, b) => b.length - a.length);
    this.streams = [...new Set([...this.streams, ...base64Streams(secret)])];
    return fresh;
  }

  mask(text: string): string {
    let out = text;
    for (const form of this.forms) {
      if (out.includes(form)) out = out.split(form).join(MASK);
    }
    if (this.streams.length === 0 || !/[A-Za-z0-9+/]{4}/.test(out)) return out;
    return out
      .split('\n')
      .map((l) => maskWrappedLine(l, this.streams))
      .join('\n');
  }

  /**
   * Where `text` (the start of a line still being written) can be cut without splitting a secret: the index of the
   * longest tail that could be the start of a masked form (the text from there is held back until more arrives), moved
   * earlier so no whole form in the text straddles the cut. `text.length` when nothing needs holding back.
   */
  safeCut(text: string): number {
    let cut = text.length;
    for (const form of this.forms) {
      for (let k = Math.min(form.length - 1, text.length); k >= 1; k--) {
        if (form.startsWith(text.slice(-k))) {
          cut = Math.min(cut, text.length - k);
          break;
        }
      }
    }
    for (let moved = true; moved; ) {
      moved = false;
      for (const form of this.forms) {
        for (let i = text.indexOf(form); i >= 0 && i < cut; i = text.indexOf(form, i + 1)) {
          if (i + form.length > cut) {
            cut = i;
            moved = true;
          }
        }
      }
    }
    return cut;
  }
}
