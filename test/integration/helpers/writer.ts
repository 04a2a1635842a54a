/**
 * A steady writer for "nothing lost" checks: one psql session inserting a row into `events` every `everyMs`, each
 * row's id counted only once PostgreSQL acknowledged it (RETURNING id printed). Afterwards every acknowledged id must
 * still be in the table.
 */
import { spawn } from 'node:child_process';
import { clientEnv, type SandboxPostgres } from './pg-sandbox.js';

export interface WriterResult {
  acked: number[];
  /** Statements that got an error back. */
  failed: number;
  errors: string[];
}

export interface Writer {
  stop(): Promise<WriterResult>;
}

export function startWriter(pg: SandboxPostgres & { password: string }, database: string, everyMs = 50): Writer {
  // ON_ERROR_STOP off: a failed insert is reported on stderr and the session goes on.
  const child = spawn('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=0', '-d', database], {
    env: clientEnv(pg),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const result: WriterResult = { acked: [], failed: 0, errors: [] };
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const lines = out.split('\n');
    out = lines.pop() ?? '';
    for (const l of lines) if (/^\d+$/.test(l.trim())) result.acked.push(Number(l.trim()));
  });
  child.stderr.on('data', (d: Buffer) => {
    for (const l of d.toString().split('\n')) {
      if (!l.startsWith('ERROR')) continue;
      result.failed++;
      if (result.errors.length < 10) result.errors.push(l);
    }
  });
  const timer = setInterval(
    () => child.stdin.write("INSERT INTO events (kind) VALUES ('story') RETURNING id;\n"),
    everyMs,
  );
  const closed = new Promise<void>((r) => child.on('close', () => r()));
  return {
    async stop() {
      clearInterval(timer);
      child.stdin.end('\\q\n');
      await closed;
      return result;
    },
  };
}
