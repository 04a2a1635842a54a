/**
 * A reader for nginx configuration text, enough to find directives and where they are: statements (`name args;`)
 * and blocks (`name args { … }`) with their byte offsets, comments and quoted strings skipped as nginx skips them.
 * Syntax source: nginx's own parser, src/core/ngx_conf_file.c (ngx_conf_read_token): words end at whitespace, `;`,
 * `{` or `}`; `#` starts a comment at the start of a word; quotes group words, backslash escapes in them; `${`
 * inside a word is a variable, not a block. Pure.
 */

export interface Directive {
  /** The words, unquoted: `['server', '127.0.0.1:8000', 'max_fails=3']`. */
  words: string[];
  /** Offset of the first character of the name. */
  start: number;
  /** Offset just after the `;`, or after the `}` closing its block. */
  end: number;
  /** Its block's directives, when it has a block. */
  children?: Directive[];
  /** Offset of the `}` that closes its block. */
  close?: number;
}

export class NginxSyntaxError extends Error {
  override name = 'NginxSyntaxError';
}

/** Line number (1-based) of an offset, for messages. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

/** The directives of `text`, nested as written. Throws NginxSyntaxError with the line on unbalanced text. */
export function parseNginx(text: string): Directive[] {
  let i = 0;
  const n = text.length;
  const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

  const word = (): string => {
    const q = text[i];
    if (q === '"' || q === "'") {
      const from = i;
      let out = '';
      for (i++; i < n && text[i] !== q; i++) {
        if (text[i] === '\\' && i + 1 < n) i++;
        out += text[i];
      }
      if (i >= n) throw new NginxSyntaxError(`unterminated quote at line ${lineOf(text, from)}`);
      i++;
      return out;
    }
    let out = '';
    while (i < n) {
      const c = text[i] as string;
      if (isSpace(c) || c === ';' || c === '}') break;
      if (c === '{' && text[i - 1] !== '$') break;
      if (c === '$' && text[i + 1] === '{') {
        const close = text.indexOf('}', i);
        if (close < 0) throw new NginxSyntaxError(`unterminated \${ at line ${lineOf(text, i)}`);
        out += text.slice(i, close + 1);
        i = close + 1;
        continue;
      }
      out += c;
      i++;
    }
    return out;
  };

  const block = (depth: number): Directive[] => {
    const out: Directive[] = [];
    let cur: Directive | undefined;
    while (i < n) {
      const c = text[i];
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (c === '#' && cur === undefined) {
        while (i < n && text[i] !== '\n') i++;
        continue;
      }
      if (c === ';') {
        if (!cur) throw new NginxSyntaxError(`unexpected ";" at line ${lineOf(text, i)}`);
        i++;
        cur.end = i;
        out.push(cur);
        cur = undefined;
        continue;
      }
      if (c === '{') {
        if (!cur) throw new NginxSyntaxError(`unexpected "{" at line ${lineOf(text, i)}`);
        i++;
        const d: Directive = cur;
        cur = undefined;
        d.children = block(depth + 1);
        d.close = i - 1;
        d.end = i;
        out.push(d);
        continue;
      }
      if (c === '}') {
        if (cur) throw new NginxSyntaxError(`"${cur.words[0]}" at line ${lineOf(text, cur.start)} has no ";"`);
        if (depth === 0) throw new NginxSyntaxError(`unexpected "}" at line ${lineOf(text, i)}`);
        i++;
        return out;
      }
      const at = i;
      const w = word();
      if (cur) cur.words.push(w);
      else cur = { words: [w], start: at, end: at };
    }
    if (cur) throw new NginxSyntaxError(`"${cur.words[0]}" at line ${lineOf(text, cur.start)} has no ";"`);
    if (depth > 0) throw new NginxSyntaxError('a "{" is never closed');
    return out;
  };

  return block(0);
}

/** Every directive of the tree, depth first (blocks before their children). */
export function* walk(ds: readonly Directive[]): Generator<Directive> {
  for (const d of ds) {
    yield d;
    if (d.children) yield* walk(d.children);
  }
}
