/**
 * nginx's configuration as a survey reads it without root: nginx.conf and the files its `include`s name (globs in
 * the file name, like `conf.d/*.conf` and `sites-enabled/*`), read with `cat` and `ls` and parsed with the proxy's
 * nginx reader. Finds every `upstream NAME { … }` block (the file that holds it, and the file its server lines are
 * included from), the `pid` directive, and the server blocks that proxy to an upstream (their names and TLS).
 */
import { dirname, join } from 'node:path';
import { catArgv, listDirArgv } from '../commands/files.js';
import { type Directive, NginxSyntaxError, parseNginx, walk } from '../proxy/nginx-syntax.js';
import { failureText, type Probe } from './probe.js';

export interface NginxUpstream {
  name: string;
  /** The file that holds the `upstream NAME { … }` block. */
  file: string;
  /** The file its server lines are included from (an `include` inside the block), when there is one. */
  serversFile?: string;
  /** Primary servers (not `backup`), as written: `127.0.0.1:8000`, `unix:/run/app.sock`. */
  servers: string[];
}

/** A `server { … }` block that proxies to an upstream. */
export interface NginxSite {
  upstream: string;
  file: string;
  /** Its `server_name`s, without `_`, wildcards and regular expressions. */
  names: string[];
  /** Listens with `ssl` or on 443. */
  tls: boolean;
}

export interface NginxSurvey {
  conf: string;
  /** The `pid` directive of nginx.conf (absolute). */
  pidFile?: string;
  /** Every file read, in the order nginx includes them. */
  files: string[];
  upstreams: NginxUpstream[];
  sites: NginxSite[];
}

/** At most this many files are read (a loop of includes, or a huge tree, ends here). */
const MAX_FILES = 100;

/** glob(3)'s `*`, `?` and `[…]` in one path component, as a regular expression. */
export function globPattern(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[' && glob.indexOf(']', i + 2) > 0) {
      const close = glob.indexOf(']', i + 2);
      const body = glob
        .slice(i + 1, close)
        .replace(/^!/, '^')
        .replace(/\\/g, '\\\\');
      re += `[${body}]`;
      i = close;
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const hasGlob = (s: string): boolean => /[*?[]/.test(s);

/** cat's or ls's complaint without the program and the path it repeats: `Permission denied`. */
const why = (r: Parameters<typeof failureText>[0]): string =>
  failureText(r).replace(/^(?:cat|ls): (?:cannot (?:access|open directory) )?'?[^:']*'?: /, '');

/**
 * Read nginx.conf at `conf` and what it includes; what could not be read or followed goes to `notes`. Undefined when
 * nginx.conf itself cannot be read.
 */
export async function readNginxTree(probe: Probe, conf: string, notes: string[]): Promise<NginxSurvey | undefined> {
  const trees = new Map<string, Directive[]>();
  const order: string[] = [];
  const expanded = new Map<string, Promise<string[]>>();

  const readFile = async (path: string): Promise<Directive[] | undefined> => {
    const r = await probe(catArgv(path));
    if (r.code !== 0) {
      notes.push(`cannot read ${path}: ${why(r)}`);
      return undefined;
    }
    try {
      return parseNginx(r.stdout);
    } catch (err) {
      if (!(err instanceof NginxSyntaxError)) throw err;
      notes.push(`${path} is not nginx syntax (${err.message}): not followed`);
      return undefined;
    }
  };

  // Relative includes are relative to nginx.conf's directory (nginx's conf prefix).
  const expand = (pattern: string): Promise<string[]> => {
    const path = pattern.startsWith('/') ? pattern : join(dirname(conf), pattern);
    let p = expanded.get(path);
    if (!p) {
      p = (async () => {
        if (!hasGlob(path)) return [path];
        const dir = dirname(path);
        const name = path.slice(dir.length + 1);
        if (hasGlob(dir)) {
          notes.push(`include ${pattern}: a wildcard in a directory name is not followed`);
          return [];
        }
        const r = await probe(listDirArgv(dir));
        if (r.code !== 0) {
          notes.push(`cannot list ${dir} (include ${pattern}): ${why(r)}`);
          return [];
        }
        const re = globPattern(name);
        return r.stdout
          .split('\n')
          .filter((n) => n !== '' && re.test(n) && (!n.startsWith('.') || name.startsWith('.')))
          .sort()
          .map((n) => join(dir, n));
      })();
      expanded.set(path, p);
    }
    return p;
  };

  const visit = async (path: string): Promise<void> => {
    if (trees.has(path) || order.length >= MAX_FILES) return;
    order.push(path);
    const tree = await readFile(path);
    trees.set(path, tree ?? []);
    if (!tree) return;
    for (const d of walk(tree)) {
      if (d.words[0] !== 'include' || d.words[1] === undefined) continue;
      for (const file of await expand(d.words[1])) await visit(file);
    }
  };

  const main = await readFile(conf);
  if (!main) return undefined;
  trees.set(conf, main);
  order.push(conf);
  for (const d of walk(main)) {
    if (d.words[0] !== 'include' || d.words[1] === undefined) continue;
    for (const file of await expand(d.words[1])) await visit(file);
  }
  if (order.length >= MAX_FILES) notes.push(`more than ${MAX_FILES} files are included: the rest were not read`);

  const upstreams: NginxUpstream[] = [];
  const sites: NginxSite[] = [];
  for (const file of order) {
    const tree = trees.get(file) ?? [];
    for (const d of walk(tree)) {
      if (d.words[0] === 'upstream' && d.children && d.words[1]) {
        upstreams.push(await upstreamOf(d, file, expand, trees));
      }
    }
  }
  const names = new Set(upstreams.map((u) => u.name));
  for (const file of order) {
    for (const d of walk(trees.get(file) ?? [])) {
      if (d.words[0] === 'server' && d.children) sites.push(...sitesOf(d, file, names));
    }
  }
  const pid = main.find((d) => d.words[0] === 'pid' && !d.children)?.words[1];
  if (pid !== undefined && !pid.startsWith('/')) notes.push(`pid ${pid} is relative to nginx's prefix: not used`);
  return { conf, pidFile: pid?.startsWith('/') ? pid : undefined, files: order, upstreams, sites };
}

async function upstreamOf(
  d: Directive,
  file: string,
  expand: (pattern: string) => Promise<string[]>,
  trees: Map<string, Directive[]>,
): Promise<NginxUpstream> {
  const primary = (ds: readonly Directive[]) =>
    ds
      .filter((s) => s.words[0] === 'server' && !s.children && !s.words.slice(2).includes('backup'))
      .map((s) => s.words[1] ?? '');
  const servers = primary(d.children ?? []);
  let serversFile: string | undefined;
  for (const inc of (d.children ?? []).filter((c) => c.words[0] === 'include' && c.words[1])) {
    for (const f of await expand(inc.words[1] as string)) {
      serversFile ??= f;
      servers.push(...primary(trees.get(f) ?? []));
    }
  }
  return { name: d.words[1] as string, file, serversFile, servers: servers.filter((s) => s !== '') };
}

/** The upstreams a server block proxies to (`proxy_pass http://NAME…`), one site each. */
function sitesOf(d: Directive, file: string, upstreams: ReadonlySet<string>): NginxSite[] {
  const children = d.children ?? [];
  const names = children
    .filter((c) => c.words[0] === 'server_name')
    .flatMap((c) => c.words.slice(1))
    .filter((n) => n !== '_' && n !== '' && !/[*~]/.test(n) && !n.startsWith('.'));
  const tls = children
    .filter((c) => c.words[0] === 'listen')
    .some((c) => c.words.includes('ssl') || /(^|:)443$/.test(c.words[1] ?? ''));
  const targets = new Set<string>();
  for (const c of walk(children)) {
    const m = c.words[0] === 'proxy_pass' ? /^https?:\/\/([A-Za-z0-9_]+)(?:[/$]|$)/.exec(c.words[1] ?? '') : null;
    if (m && upstreams.has(m[1] as string)) targets.add(m[1] as string);
  }
  return [...targets].map((upstream) => ({ upstream, file, names, tls }));
}
