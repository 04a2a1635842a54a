/**
 * The upstream file as people lay it out, read and rewritten server lines only. Two layouts are found by reading it:
 * - `block`: the file holds the whole `upstream NAME { … }` (among anything else: other upstreams, server blocks);
 * - `servers`: the file holds the directives of the block and is `include`d inside `upstream NAME { … }` elsewhere
 *   (the layout the toolkit writes when the file does not exist yet: `new`).
 * Only the primary `server` lines of the named upstream change; its other directives (keepalive, least_conn, hash,
 * zone), its `backup` servers, comments and the rest of the file stay byte for byte. Pure.
 * Directive and parameter names: nginx docs, ngx_http_upstream_module ("server address [parameters]").
 */
import { type Directive, lineOf, NginxSyntaxError, parseNginx, walk } from './nginx-syntax.js';

/** One `server` of an upstream: its address as nginx reads it and its parameters. */
export interface UpstreamServer {
  /** `127.0.0.1:18001`, `app.internal:8000`, `unix:/run/app.sock`. */
  address: string;
  /** `['max_fails=3', 'fail_timeout=10s']`; undefined: the parameters the file's servers use (see serverParams). */
  params?: readonly string[];
  /** nginx's `weight=N` (1 when unset): a canary's share of traffic. Added after the parameters. */
  weight?: number;
}

/** The end-of-line comment that marks the balancing directive the toolkit manages (canary stickiness). */
export const STICKY_MARK = '# runbook-actions: canary stickiness';
/** Balancing directives: one per upstream; the toolkit's sticky `hash` must not meet a team's own. */
const BALANCING = new Set(['hash', 'ip_hash', 'least_conn', 'least_time', 'random', 'sticky', 'ntlm']);

export type UpstreamLayout = 'block' | 'servers' | 'new';

export interface UpstreamFile {
  layout: UpstreamLayout;
  /** The primary servers (not `backup`), in file order: the ones a switch replaces. */
  servers: UpstreamServer[];
  /** `backup` servers: kept as they are. */
  backups: UpstreamServer[];
  /** Line of the `upstream NAME {` in the file (block layout). */
  line?: number;
}

export class UpstreamLayoutError extends Error {
  override name = 'UpstreamLayoutError';
}

/** What the toolkit's own replicas get when the file has no server whose parameters they could share. */
const DEFAULT_SERVER_PARAMS: readonly string[] = ['max_fails=1', 'fail_timeout=2s'];
/** The server an empty upstream keeps, so nginx's config still loads (requests then fail fast at nginx). */
const PLACEHOLDER: UpstreamServer = { address: '127.0.0.1:9', params: ['down'] };
/** Parameters that belong to one server and are never copied to another. */
const OWN_PARAMS = /^(weight=|down$|backup$|resolve$|service=|route=|drain$)/;
/** Directives that may stand in an upstream block (nginx docs, ngx_http_upstream_module and its kin). */
const UPSTREAM_DIRECTIVES = new Set([
  'server',
  'zone',
  'state',
  'hash',
  'ip_hash',
  'keepalive',
  'keepalive_requests',
  'keepalive_time',
  'keepalive_timeout',
  'least_conn',
  'least_time',
  'random',
  'ntlm',
  'queue',
  'resolver',
  'resolver_timeout',
  'sticky',
]);

interface Located {
  file: UpstreamFile;
  /** The directives whose server lines change. */
  scope: Directive[];
  /** Where new lines go when there is no server line to replace: before the block's `}`, or the file's end. */
  tail: number;
  /** Offset of the block's `upstream` word (block layout). */
  blockStart?: number;
}

const toServer = (d: Directive): UpstreamServer => ({ address: d.words[1] ?? '', params: d.words.slice(2) });
const isServer = (d: Directive) => d.words[0] === 'server' && d.children === undefined;
const isBackup = (d: Directive) => d.words.slice(2).includes('backup');

function locate(text: string | undefined, name: string, path: string): Located {
  if (text === undefined || text.trim() === '') {
    return { file: { layout: 'new', servers: [], backups: [] }, scope: [], tail: text?.length ?? 0 };
  }
  let tree: Directive[];
  try {
    tree = parseNginx(text);
  } catch (err) {
    if (err instanceof NginxSyntaxError) throw new UpstreamLayoutError(`${path} is not nginx syntax: ${err.message}`);
    throw err;
  }
  const upstreams = [...walk(tree)].filter((d) => d.words[0] === 'upstream' && d.children);
  let layout: UpstreamLayout;
  let scope: Directive[];
  let tail: number;
  let line: number | undefined;
  let blockStart: number | undefined;
  if (upstreams.length > 0) {
    const mine = upstreams.filter((d) => d.words[1] === name);
    if (mine.length === 0) {
      const names = upstreams.map((d) => d.words[1]).join(', ');
      throw new UpstreamLayoutError(
        `${path} holds upstream ${names} but not "${name}" (strategy.proxy.nginx.upstream names the block to switch)`,
      );
    }
    if (mine.length > 1) throw new UpstreamLayoutError(`${path} holds upstream "${name}" more than once`);
    const block = mine[0] as Directive;
    const include = block.children?.find((d) => d.words[0] === 'include');
    if (include) {
      throw new UpstreamLayoutError(
        `upstream "${name}" in ${path} includes ${include.words[1] ?? '?'} (line ${lineOf(text, include.start)}): its server lines are there, so point strategy.proxy.nginx.upstream-file at that file`,
      );
    }
    layout = 'block';
    scope = block.children ?? [];
    tail = block.close ?? text.length;
    line = lineOf(text, block.start);
    blockStart = block.start;
  } else {
    const foreign = tree.find((d) => !UPSTREAM_DIRECTIVES.has(d.words[0] ?? '') || d.children !== undefined);
    if (foreign) {
      throw new UpstreamLayoutError(
        `${path} holds neither an "upstream ${name} { … }" block nor the server lines of one: "${foreign.words[0]}" at line ${lineOf(text, foreign.start)} cannot stand in an upstream`,
      );
    }
    layout = 'servers';
    scope = tree;
    tail = text.length;
  }
  const servers = scope.filter((d) => isServer(d) && !isBackup(d)).map(toServer);
  const backups = scope.filter((d) => isServer(d) && isBackup(d)).map(toServer);
  return { file: { layout, servers, backups, line }, scope, tail, blockStart };
}

/** Read the upstream file: its layout and servers. Throws UpstreamLayoutError naming `path` and the line. */
export function readUpstreamFile(text: string | undefined, name: string, path: string): UpstreamFile {
  return locate(text, name, path).file;
}

/**
 * The text of the `upstream NAME { … }` block alone (block layout), or undefined for the other layouts. For a test
 * of the upstream without the rest of the file (its server blocks may name upstreams defined elsewhere).
 */
export function upstreamBlockText(text: string | undefined, name: string, path: string): string | undefined {
  const { tail, blockStart } = locate(text, name, path);
  if (blockStart === undefined || text === undefined) return undefined;
  return `${text.slice(blockStart, tail + 1)}\n`;
}

/** `127.0.0.1:8000` / `[::1]:8000` → host and port; undefined for an address without one (`unix:…`, a bare name). */
export function hostPortOf(address: string): { host: string; port: number } | undefined {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  return m ? { host: m[1] as string, port: Number(m[2]) } : undefined;
}

/** True for the placeholder an empty upstream holds (ours, or a server marked down). */
export const isPlaceholder = (s: UpstreamServer): boolean => (s.params ?? []).includes('down');

/** The parameters new servers of the toolkit get: those of the file's first serving server, minus its own ones. */
function serverParams(file: UpstreamFile): readonly string[] {
  const model = file.servers.find((s) => !isPlaceholder(s));
  if (!model) return DEFAULT_SERVER_PARAMS;
  return (model.params ?? []).filter((p) => !OWN_PARAMS.test(p));
}

const serverLine = (s: UpstreamServer, params: readonly string[]) =>
  `server ${[s.address, ...(s.params ?? params), ...(s.weight === undefined ? [] : [`weight=${s.weight}`])].join(' ')};`;

/** Is this directive the balancing line the toolkit wrote (its line ends with STICKY_MARK)? */
function isSticky(src: string, d: Directive): boolean {
  const eol = src.indexOf('\n', d.end);
  return d.words[0] === 'hash' && src.slice(d.end, eol < 0 ? src.length : eol).includes(STICKY_MARK);
}

/**
 * The file with the named upstream's primary servers replaced by `servers` (in order; none: the placeholder), every
 * other byte kept. A new file (layout `new`) gets a header and the server lines only, to be included inside
 * `upstream NAME { … }`. Throws UpstreamLayoutError when the file holds neither layout.
 */
export function rewriteUpstreamFile(
  text: string | undefined,
  name: string,
  path: string,
  servers: readonly UpstreamServer[],
  opts: { sticky?: string } = {},
): string {
  const { file, scope, tail } = locate(text, name, path);
  const params = serverParams(file);
  const wanted = servers.length > 0 ? servers : [PLACEHOLDER];
  const stickyLine = opts.sticky === undefined ? [] : [`${opts.sticky}; ${STICKY_MARK}`];
  if (file.layout === 'new') {
    const lines = [...stickyLine, ...wanted.map((s) => serverLine(s, params))];
    return `# upstream ${name}: server lines written by runbook-actions (included inside upstream ${name} { … })\n${lines.join('\n')}\n`;
  }
  const src = text as string;
  const mine = scope.filter((d) => isSticky(src, d));
  if (opts.sticky !== undefined) {
    const theirs = scope.find((d) => BALANCING.has(d.words[0] ?? '') && !mine.includes(d));
    if (theirs) {
      throw new UpstreamLayoutError(
        `upstream "${name}" in ${path} already balances with "${theirs.words.join(' ')}" (line ${lineOf(src, theirs.start)}); canary stickiness writes its own hash there: remove strategy.canary.sticky, or that line`,
      );
    }
  }
  const old = scope.filter((d) => (isServer(d) && !isBackup(d)) || mine.includes(d));
  const first = old.find((d) => isServer(d));
  const at = first ? lineStart(src, first.start) : lineStart(src, tail);
  const indent = first ? src.slice(at, first.start) : guessIndent(src, scope, file.layout);
  const block = wanted.map((s) => `${indent}${serverLine(s, params)}\n`).join('');
  // Cut every old server line (with its own trailing comment), then put the new lines where the first one was.
  const cuts = old.map((d) => ({ range: span(src, d), server: isServer(d) }));
  let out = '';
  let pos = 0;
  let inserted = false;
  for (const { range, server } of cuts) {
    const [from, to] = range;
    out += src.slice(pos, from);
    if (!inserted && server) {
      out += block;
      inserted = true;
    }
    pos = to;
  }
  if (!inserted) {
    // No server to replace (only backups, or none): insert before the block's `}` / at the file's end.
    out += src.slice(pos, at);
    const needsBreak = at > 0 && src[at - 1] !== '\n' && at === src.length;
    out += `${needsBreak ? '\n' : ''}${block}`;
    pos = at;
  }
  const rewritten = out + src.slice(pos);
  return stickyLine.length > 0 ? withBalancing(rewritten, name, path, stickyLine[0] as string) : rewritten;
}

/**
 * `line` as the upstream's first directive: nginx wants the balancing method before `keepalive` (ngx_http_upstream
 * keepalive docs: "it is necessary to activate them before the keepalive directive"), so it goes above whatever the
 * block (or the included file) begins with, at that line's indentation.
 */
function withBalancing(text: string, name: string, path: string, line: string): string {
  const { scope } = locate(text, name, path);
  const head = scope[0];
  if (!head) return text;
  const at = lineStart(text, head.start);
  const indent = at === head.start ? '' : text.slice(at, head.start);
  return `${text.slice(0, at)}${indent}${line}\n${text.slice(at)}`;
}

function lineStart(src: string, offset: number): number {
  const nl = src.lastIndexOf('\n', offset - 1);
  const from = nl + 1;
  // Only when nothing but blanks stands before the offset on its line.
  return /^[ \t]*$/.test(src.slice(from, offset)) ? from : offset;
}

/** The range a server directive takes: its whole line when it stands alone there (with a trailing comment). */
function span(src: string, d: Directive): [number, number] {
  const from = src.lastIndexOf('\n', d.start - 1) + 1;
  const eol = src.indexOf('\n', d.end);
  const rest = src.slice(d.end, eol < 0 ? src.length : eol);
  const alone = /^[ \t]*$/.test(src.slice(from, d.start)) && /^[ \t]*(#.*)?\r?$/.test(rest);
  return alone ? [from, eol < 0 ? src.length : eol + 1] : [d.start, d.end];
}

function guessIndent(src: string, scope: Directive[], layout: UpstreamLayout): string {
  const any = scope[0];
  if (any) {
    const from = lineStart(src, any.start);
    if (from !== any.start) return src.slice(from, any.start);
  }
  return layout === 'block' ? '    ' : '';
}
