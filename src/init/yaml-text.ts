/** Writing YAML by hand for the proposal: scalars that read back as written, flow lists, comments and TODOs. Pure. */

const YAML_WORD = /^(true|false|yes|no|on|off|null|~|y|n)$/i;
const YAML_NUMBER = /^[-+]?(\.\d+|\d[\d_]*\.?\d*)([eE][-+]?\d+)?$|^0[xo][\da-f]+$/i;

/** A YAML scalar: plain when YAML reads it back as this string, else double-quoted (JSON is valid YAML). */
export function scalar(v: string | number): string {
  if (typeof v === 'number') return String(v);
  const plain = /^[A-Za-z0-9_/.][A-Za-z0-9_/.@+-]*$/.test(v) && !YAML_WORD.test(v) && !YAML_NUMBER.test(v);
  return plain ? v : JSON.stringify(v);
}

/** A flow list: `[sudo, -n, nginx, -t]`. */
export const list = (items: readonly (string | number)[]): string =>
  `[${items.map((i) => (typeof i === 'string' && /^-[A-Za-z]$/.test(i) ? i : scalar(i))).join(', ')}]`;

/** Collects the TODOs as the body is written: `at` gives the comment line, the header gets `key: what`. */
export class Todos {
  readonly header: string[] = [];
  at(indent: string, key: string, what: string, detail = ''): string {
    this.header.push(`${key}: ${what}`);
    return `${indent}# TODO: ${what}${detail}`;
  }
}

/** Header lines as a list: `#   - line`, and `#     line` for one that starts with two spaces (a detail). */
export const bullets = (lines: readonly string[]): string =>
  lines.map((l) => (l.startsWith('  ') ? `#     ${l.trim()}` : `#   - ${l}`)).join('\n');
