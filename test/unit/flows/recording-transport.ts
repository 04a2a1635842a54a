/**
 * A Transport for flow tests: records every exec (argv, cwd, env, the names of secret variables, stdin) and answers
 * from a small in-memory filesystem for the file commands src/commands/files.ts builds (cat, test -e, mkdir [-p],
 * rm -rf/-f, mv -f, dd of=, sync, ls), so the journal, the lock lease and nginx's upstream file behave like files.
 * Everything else is answered by scripts matched on an argv prefix; an unscripted program exits 127 (and is still
 * recorded), so a test sees it. connectTcp reaches an in-process HTTP responder for ports something listens on.
 */
import { createHash } from 'node:crypto';
import { dirname } from 'node:path/posix';
import { type Duplex, duplexPair, Readable } from 'node:stream';
import type { ExecOptions, ExecResult, Transport } from '../../../src/transports/types.js';

export interface ExecRecord {
  target: string;
  argv: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Names only: the values are secrets. */
  secretEnv?: string[];
  stdin?: string;
}

export interface TcpRecord {
  target: string;
  address: string;
  outcome: 'http' | 'refused';
}

/** An HTTP answer given by whatever listens on a port of the target. */
export interface HttpReply {
  status: number;
  body: string;
}

export type Answer =
  | Partial<ExecResult>
  | ((argv: string[], call: ExecRecord, t: RecordingTransport) => Partial<ExecResult>);

/** The in-memory filesystem of one target: files (path → text) and directories (parents are implied by mkdir -p). */
export class MemFs {
  readonly files = new Map<string, string>();
  readonly dirs = new Set<string>(['/']);

  write(path: string, text: string): void {
    this.mkdirs(dirname(path));
    this.files.set(path, text);
  }
  mkdirs(dir: string): void {
    for (let d = dir; d !== '/' && d !== '.'; d = dirname(d)) this.dirs.add(d);
  }
  exists(path: string): boolean {
    return this.files.has(path) || this.dirs.has(path);
  }
  /** Every file and directory at or below `path`. */
  under(path: string): string[] {
    const all = [...this.files.keys(), ...this.dirs];
    return all.filter((p) => p === path || p.startsWith(`${path}/`));
  }
  remove(path: string): void {
    for (const p of this.under(path)) {
      this.files.delete(p);
      this.dirs.delete(p);
    }
  }
}

const ok = (stdout = ''): ExecResult => ({ code: 0, stdout, stderr: '' });
const fail = (stderr: string, code = 1): ExecResult => ({ code, stdout: '', stderr });

async function textOf(stdin: ExecOptions['stdin']): Promise<string | undefined> {
  if (stdin === undefined) return undefined;
  if (typeof stdin === 'string') return stdin;
  if (Buffer.isBuffer(stdin)) return stdin.toString('utf8');
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Answer one HTTP/1.1 request on `server` (the far end of a duplex pair), then close. */
function serveHttp(server: Duplex, reply: () => HttpReply): void {
  let head = '';
  server.on('data', (chunk: Buffer) => {
    head += chunk.toString('latin1');
    if (!head.includes('\r\n\r\n')) return;
    const r = reply();
    const body = Buffer.from(r.body, 'utf8');
    server.end(
      `HTTP/1.1 ${r.status} X\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${r.body}`,
    );
  });
}

export class RecordingTransport implements Transport {
  readonly fs = new MemFs();
  private readonly scripts: Array<{ prefix: string[]; answer: Answer }> = [];
  /** Ports something other than our containers listens on. */
  readonly busyPorts = new Set<number>();
  /** Apps the toolkit did not start (a team's app on a fixed port), by port: what they answer. */
  readonly apps = new Map<number, () => HttpReply>();
  /** Paths the deploy user may not write (`test -w` fails, `dd of=` is refused). */
  readonly readOnly = new Set<string>();
  /** Who answers HTTP on a port of this target (the fake engine's running containers); undefined: refused. */
  listener: (port: number) => (() => HttpReply) | undefined = () => undefined;

  constructor(
    readonly name: string,
    /** Where every exec and TCP connection is recorded (shared by the targets of a world). */
    private readonly log: { execs: ExecRecord[]; tcp: TcpRecord[] },
  ) {}

  /** Answer commands starting with `prefix` (the newest script wins). */
  script(prefix: string[], answer: Answer): this {
    this.scripts.unshift({ prefix, answer });
    return this;
  }

  async exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const call: ExecRecord = { target: this.name, argv: [...argv] };
    if (opts.cwd !== undefined) call.cwd = opts.cwd;
    if (opts.env && Object.keys(opts.env).length > 0) call.env = { ...opts.env };
    if (opts.secretEnv) call.secretEnv = Object.keys(opts.secretEnv).sort();
    const stdin = await textOf(opts.stdin);
    if (stdin !== undefined) call.stdin = stdin;
    this.log.execs.push(call);
    const script = this.scripts.find((s) => s.prefix.every((p, i) => argv[i] === p));
    if (script) {
      const a = typeof script.answer === 'function' ? script.answer([...argv], call, this) : script.answer;
      return { code: 0, stdout: '', stderr: '', ...a };
    }
    return this.fileCommand([...argv], stdin);
  }

  private fileCommand(argv: string[], stdin: string | undefined): ExecResult {
    const fs = this.fs;
    const [program, ...rest] = argv;
    const paths = rest.slice(rest.indexOf('--') + 1);
    const noSuch = (p: string) => fail(`${program}: ${p}: No such file or directory`);
    switch (`${program} ${rest[0] ?? ''}`) {
      case 'true ':
        return ok();
      case 'cat --': {
        const missing = paths.find((p) => !fs.files.has(p));
        if (missing !== undefined)
          return fs.dirs.has(missing) ? fail(`cat: ${missing}: Is a directory`) : noSuch(missing);
        return ok(paths.map((p) => fs.files.get(p)).join(''));
      }
      case 'test -e':
        return fs.exists(rest[1] ?? '') ? ok() : fail('', 1);
      case 'test -w':
        return fs.exists(rest[1] ?? '') && !this.readOnly.has(rest[1] ?? '') ? ok() : fail('', 1);
      case 'truncate -s': {
        const text = fs.files.get(paths[0] ?? '');
        if (text === undefined) return noSuch(paths[0] ?? '');
        fs.files.set(paths[0] ?? '', Buffer.from(text).subarray(0, Number(rest[1])).toString());
        return ok();
      }
      case 'mkdir -p':
        for (const p of paths) fs.mkdirs(p);
        return ok();
      case 'mkdir --': {
        const dir = paths[0] ?? '';
        if (fs.exists(dir)) return fail(`mkdir: cannot create directory '${dir}': File exists`);
        if (!fs.dirs.has(dirname(dir)))
          return fail(`mkdir: cannot create directory '${dir}': No such file or directory`);
        fs.dirs.add(dir);
        return ok();
      }
      case 'rm -rf':
      case 'rm -f':
        for (const p of paths) fs.remove(p);
        return ok();
      case 'mv -f': {
        const [from = '', to = ''] = paths;
        if (!fs.exists(from)) return fail(`mv: cannot stat '${from}': No such file or directory`);
        fs.remove(to);
        for (const p of fs.under(from)) {
          const moved = to + p.slice(from.length);
          if (fs.files.has(p)) fs.files.set(moved, fs.files.get(p) ?? '');
          else fs.dirs.add(moved);
        }
        fs.remove(from);
        return ok();
      }
      case 'sync --':
        return ok();
      case 'ls -1':
        return ok(
          [...fs.files.keys(), ...fs.dirs]
            .filter((p) => dirname(p) === paths[0] && p !== '/')
            .map((p) => `${p.slice((paths[0] ?? '').length + 1)}\n`)
            .sort()
            .join(''),
        );
      case 'sha256sum --': {
        const text = fs.files.get(paths[0] ?? '');
        if (text === undefined) return noSuch(paths[0] ?? '');
        return ok(`${createHash('sha256').update(text).digest('hex')}  ${paths[0]}\n`);
      }
      case 'stat -c': {
        const text = fs.files.get(paths[0] ?? '');
        return text === undefined ? noSuch(paths[0] ?? '') : ok(`${Buffer.byteLength(text)}\n`);
      }
    }
    if (program === 'dd' && rest[0]?.startsWith('of=')) {
      const path = rest[0].slice(3);
      if (this.readOnly.has(path) || (!fs.files.has(path) && this.readOnly.has(dirname(path))))
        return fail(`dd: failed to open '${path}': Permission denied`);
      if (!fs.dirs.has(dirname(path))) return fail(`dd: failed to open '${path}': No such file or directory`);
      fs.files.set(path, stdin ?? '');
      return ok();
    }
    return fail(`${program}: not scripted in this flow test`, 127);
  }

  async upload(remotePath: string, source: Readable): Promise<void> {
    this.log.execs.push({ target: this.name, argv: ['(upload)', remotePath] });
    this.fs.write(remotePath, (await textOf(source)) ?? '');
  }

  async download(remotePath: string): Promise<Readable> {
    this.log.execs.push({ target: this.name, argv: ['(download)', remotePath] });
    const text = this.fs.files.get(remotePath);
    if (text === undefined) throw new Error(`${remotePath}: No such file or directory`);
    return Readable.from([Buffer.from(text)]);
  }

  async connectTcp(host: string, port: number): Promise<Duplex> {
    const own = host === '127.0.0.1' ? this.apps.get(port) : undefined;
    if (own) {
      this.log.tcp.push({ target: this.name, address: `${host}:${port}`, outcome: 'http' });
      const [client, server] = duplexPair();
      serveHttp(server, own);
      return client;
    }
    const reply = host === '127.0.0.1' && !this.busyPorts.has(port) ? this.listener(port) : undefined;
    const busy = this.busyPorts.has(port);
    this.log.tcp.push({ target: this.name, address: `${host}:${port}`, outcome: reply || busy ? 'http' : 'refused' });
    if (!reply && !busy) {
      throw Object.assign(new Error(`connect ECONNREFUSED ${host}:${port}`), { code: 'ECONNREFUSED' });
    }
    const [client, server] = duplexPair();
    serveHttp(server, reply ?? (() => ({ status: 404, body: 'something else' })));
    return client;
  }

  async close(): Promise<void> {}
}
