/**
 * The one place text that is not ours (a server's answer, a version, a config value, an error message) is made inert
 * for the job summary and the PR comment, whichever form it lands in:
 * - HTML (`htmlText`: tables, headings and details built with the summary API of @actions/core, which inserts text as
 *   it is): control characters and line ends as spaces, `& < > " '` as entities, so no tag, attribute or entity of
 *   someone else's starts;
 * - Mermaid labels (`mermaidText`): every character but letters, digits, space and `.,_+-/()=` as a Mermaid entity
 *   code `#NN;`. Mermaid turns `#\w+;` into a placeholder before parsing (encodeEntities in Diagram.fromText) and
 *   into `&#NN;` in the SVG (decodeEntities), so the parsers never see a quote, colon, `#`, `%%` or line end of ours.
 * Sources: the HTML standard (character references), mermaid-js/mermaid's Diagram.fromText and parser/*.jison.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_OR_LINE_END = /\r\n|[\u0000-\u001f\u007f\u2028\u2029]/g;
const HTML_SPECIAL = /[&<>"']/g;
const HTML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `@` then a zero-width space: GitHub links no `@user` or `@org/team` mention (and notifies no one) across it. */
export const MENTION_BREAK = '@\u200b';

/**
 * Text made inert inside HTML (element content or a quoted attribute): one line, `& < > " '` as entities, and no
 * `@mention` (a server's text in an issue or a PR comment must not notify a team).
 */
export function htmlText(text: string): string {
  return text
    .replace(CONTROL_OR_LINE_END, ' ')
    .replace(HTML_SPECIAL, (ch) => HTML_ENTITY[ch] ?? ch)
    .replaceAll('@', MENTION_BREAK);
}

/** Several lines made inert inside HTML (a `<pre>` block): line ends kept, other control characters as spaces. */
export function htmlBlock(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => htmlText(line))
    .join('\n');
}

const MERMAID_PLAIN = /^[A-Za-z0-9 .,_+\-/()=]$/;

/** Text made one Mermaid label: line ends as spaces, every other character but the plain ones as `#<code point>;`. */
export function mermaidText(text: string): string {
  let out = '';
  for (const ch of text.replace(CONTROL_OR_LINE_END, ' ')) {
    out += MERMAID_PLAIN.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  }
  return out.trim() || '-';
}

/** An http(s) URL fit for an href, or undefined (a `javascript:` or malformed link is never written). */
export function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}
