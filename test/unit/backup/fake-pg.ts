/**
 * A Transport for unit tests: files and plain commands run for real on a LocalTransport (temp dirs, rename, sha256sum,
 * rm), while PostgreSQL's programs are played by a script: pg_dump writes `dumpBytes`, the snapshot session writes a
 * snapshot id to the file its `\g` names and prints `counts`, pg_restore/createdb/dropdb succeed unless told not to.
 */
import { writeFileSync } from 'node:fs';
import type { Duplex, Readable } from 'node:stream';
import { TO_FILE_SCRIPT } from '../../../src/commands/postgres.js';
import { LocalTransport } from '../../../src/transports/local.js';
import type { ExecOptions, ExecResult, Transport } from '../../../src/transports/types.js';
import { captureLogger } from '../../integration/helpers/capture-logger.js';

export interface FakePgBehaviour {
  dumpBytes?: string;
  /** pg_dump exits 1 after writing half of its output (a full disk, a kill). */
  dumpFails?: boolean;
  restoreFails?: boolean;
  counts?: Record<string, number>;
  /** Counts reported for any database other than the configured one (the scratch restore). */
  restoredCounts?: Record<string, number>;
}

export class FakePgTransport implements Transport {
  readonly name = 'fake';
  readonly local = new LocalTransport('fake', captureLogger());
  /** Every argv run, in order. */
  readonly calls: string[][] = [];
  /** The secretEnv each pg program saw. */
  readonly secretEnvs: Array<Readonly<Record<string, string>> | undefined> = [];

  constructor(
    readonly database: string,
    public behaviour: FakePgBehaviour = {},
  ) {}

  async exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    this.calls.push([...argv]);
    const program = argv.find((a) => ['pg_dump', 'psql', 'pg_restore', 'createdb', 'dropdb'].includes(a));
    if (program === undefined) return this.local.exec(argv, opts);
    this.secretEnvs.push(opts.secretEnv);
    const b = this.behaviour;
    const ok = (stdout = ''): ExecResult => ({ code: 0, stdout, stderr: '' });
    const fail = (stderr: string): ExecResult => ({ code: 1, stdout: '', stderr });
    if (program === 'pg_dump') {
      const out = argv[2] === TO_FILE_SCRIPT ? argv[4] : undefined;
      if (out === undefined) return fail('pg_dump: expected the TO_FILE wrapper');
      const bytes = b.dumpBytes ?? 'PGDMP fake archive';
      writeFileSync(out, b.dumpFails ? bytes.slice(0, bytes.length / 2) : bytes, { mode: 0o600 });
      return b.dumpFails ? fail('pg_dump: error: could not write to output file: No space left on device') : ok();
    }
    if (program === 'pg_restore') {
      const isList = argv.includes('-l');
      if (b.restoreFails) return fail('pg_restore: error: could not uncompress data: incorrect data check');
      return ok(isList ? ';\n; Archive created at 2026-01-01\n' : '');
    }
    if (program === 'createdb' || program === 'dropdb') return ok();
    // psql: the snapshot session (SQL on stdin) or a count (-c) in some database.
    const db = argv[argv.indexOf('-d') + 1];
    const counts = db === this.database ? (b.counts ?? {}) : (b.restoredCounts ?? b.counts ?? {});
    const json = JSON.stringify({ server_version: '15.99', counts });
    if (opts.stdin !== undefined && typeof opts.stdin !== 'string' && !Buffer.isBuffer(opts.stdin)) {
      await playSession(opts.stdin);
    }
    return ok(`${json}\n`);
  }

  upload(path: string, source: Readable, opts?: { mode?: number }): Promise<void> {
    return this.local.upload(path, source, opts);
  }
  download(path: string): Promise<Readable> {
    return this.local.download(path);
  }
  connectTcp(host: string, port: number): Promise<Duplex> {
    return this.local.connectTcp(host, port);
  }
  async close(): Promise<void> {}
}

/** Read the session's script as it arrives: write a snapshot id where `\g` says, finish at end of input. */
async function playSession(stdin: Readable): Promise<void> {
  let text = '';
  let written = false;
  for await (const chunk of stdin) {
    text += String(chunk);
    const m = /\\g (\S+)\n/.exec(text);
    if (m?.[1] && !written) {
      writeFileSync(m[1], '00000003-0000001B-1\n');
      written = true;
    }
  }
}
