/**
 * The one builder of the job summary and the PR comment: the summary API of @actions/core (`summary.addHeading`,
 * `addTable`, `addDetails`, `addRaw`, `stringify`), with every text escaped once here (./escape.ts), because that API
 * inserts its arguments into HTML as they are. The result is a string: the caller writes it through the runner (the
 * masked `appendSummary`, or the PR comment), so secrets are masked in every sink the same way.
 *
 * GitHub renders job summaries and comments as GitHub Flavored Markdown, which passes these HTML elements through
 * and renders a ```mermaid fence as a diagram (docs.github.com: "Adding a job summary", "Creating diagrams").
 */
import { summary } from '@actions/core';
import { htmlBlock, htmlText, mermaidText, safeHref } from './escape.js';

/** HTML already made safe (by this module): put in as it is. Plain strings are always escaped. */
export interface Html {
  readonly html: string;
}

export type Text = string | Html;

const isHtml = (t: Text): t is Html => typeof t !== 'string';
/** A text as HTML: escaped unless it is already `Html`. */
export const asHtml = (t: Text): string => (isHtml(t) ? t.html : htmlText(t));

/** Inline pieces, escaped here: a link (only http/https; otherwise the label alone), code, bold, several joined. */
export const inline = {
  link: (label: string, url: string | undefined): Html => {
    const href = safeHref(url);
    return { html: href ? `<a href="${htmlText(href)}">${htmlText(label)}</a>` : htmlText(label) };
  },
  code: (text: string): Html => ({ html: `<code>${htmlText(text)}</code>` }),
  bold: (text: Text): Html => ({ html: `<b>${asHtml(text)}</b>` }),
  join: (parts: Text[], separator = ' · '): Html => ({ html: parts.map(asHtml).join(htmlText(separator)) }),
};

/** The document being built. Every method escapes its text arguments; `Html` pieces come from `inline`. */
export interface SummaryDoc {
  heading(text: Text, level?: 2 | 3 | 4): SummaryDoc;
  paragraph(text: Text): SummaryDoc;
  /** A table: the header row, then rows of cells (one per header). */
  table(headers: string[], rows: Text[][]): SummaryDoc;
  list(items: Text[]): SummaryDoc;
  /** A collapsed block: its label and text shown as preformatted lines. */
  details(label: Text, lines: string): SummaryDoc;
  /** A collapsed block holding a part built by `fn`. */
  section(label: Text, fn: (doc: SummaryDoc) => void): SummaryDoc;
  /** A Mermaid diagram from lines already made of `mermaidText` labels (see `mermaid` helpers). */
  mermaid(lines: string[]): SummaryDoc;
  /** Markdown made elsewhere by this module's escaping (a section another builder returned). */
  markdown(text: string): SummaryDoc;
}

/**
 * Build one document. Synchronous, so nothing else uses the shared `summary` buffer of @actions/core meanwhile; the
 * buffer is emptied before and put back as it was after.
 */
export function buildSummary(fn: (doc: SummaryDoc) => void): string {
  // Re-entrant: a part built inside another (a section, a stage's table) keeps the outer buffer as it was.
  const outer = summary.stringify();
  summary.emptyBuffer();
  const doc: SummaryDoc = {
    heading: (text, level = 3) => {
      summary.addHeading(asHtml(text), level);
      return doc;
    },
    paragraph: (text) => {
      summary.addRaw(`<p>${asHtml(text)}</p>`, true);
      return doc;
    },
    table: (headers, rows) => {
      // A key/value table (every header empty) has no header row.
      const head = headers.some((h) => h !== '') ? [headers.map((h) => ({ data: htmlText(h), header: true }))] : [];
      summary.addTable([...head, ...rows.map((r) => headers.map((_, i) => asHtml(r[i] ?? '')))]);
      return doc;
    },
    list: (items) => {
      summary.addList(items.map(asHtml));
      return doc;
    },
    details: (label, lines) => {
      summary.addDetails(asHtml(label), `\n\n<pre>${htmlBlock(lines)}</pre>\n\n`);
      return doc;
    },
    section: (label, build) => {
      const inner = buildSummary(build);
      summary.addDetails(asHtml(label), `\n\n${inner}\n`);
      return doc;
    },
    mermaid: (lines) => {
      summary.addRaw(['', '```mermaid', ...lines, '```', ''].join('\n'), true);
      return doc;
    },
    markdown: (text) => {
      summary.addRaw(`\n${text.trim()}\n`, true);
      return doc;
    },
  };
  try {
    fn(doc);
    return summary.stringify();
  } finally {
    summary.emptyBuffer().addRaw(outer);
  }
}

/** One stage of a run, for the timeline: its start from the run's start, how long, how it ended. */
export interface Stage {
  name: string;
  /** Seconds from the run's start. */
  at: number;
  seconds: number;
  ok: boolean;
}

/** A Mermaid `timeline` of stages: one period per stage start, the stage, its verdict and duration. */
export function stageTimeline(title: string, stages: Stage[]): string[] {
  return [
    'timeline',
    `  title ${mermaidText(title)}`,
    ...stages.map(
      (s) =>
        `  +${s.at.toFixed(1)}s : ${mermaidText(`${s.name} ${s.ok ? 'ok' : 'FAILED'} (${s.seconds.toFixed(1)}s)`)}`,
    ),
  ];
}
