/**
 * Run argv on the runner itself, with the same timeout, abort and streaming semantics as the SSH transport. Never
 * through a shell.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { chmod, open, rename, rm } from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UserError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { CommandOutput, feedStdin, watchCommand } from './command.js';
import type { ExecOptions, ExecResult, Transport } from './types.js';

/** Variables that must never reach a child process: action inputs (incl. the private key) and runner tokens. */
const SECRET_ENV = new Set(['GITHUB_TOKEN', 'ACTIONS_RUNTIME_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN']);

/** process.env minus `INPUT_*` and runner tokens, plus `extra`. */
export function childEnvironment(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || SECRET_ENV.has(name) || name.toUpperCase().startsWith('INPUT_')) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

export class LocalTransport implements Transport {
  constructor(
    /** Name used as the log source, e.g. the target's name. */
    readonly name: string,
    private readonly logger: Logger,
  ) {}

  exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const [program, ...args] = argv;
    if (program === undefined || program === '') return Promise.reject(new Error('cannot run an empty command'));
    return new Promise<ExecResult>((resolve, reject) => {
      const output = new CommandOutput(this.logger, this.name, opts.quiet === true);
      const child = spawn(program, args, {
        shell: false,
        cwd: opts.cwd,
        env: childEnvironment({ ...opts.env, ...opts.secretEnv }),
        stdio: ['pipe', 'pipe', 'pipe'],
        // Own process group, so a timeout or cancel kills everything the command started.
        detached: true,
      });
      let settled = false;
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        disarm();
        fn();
      };
      const disarm = watchCommand(
        program,
        opts,
        () => killGroup(child.pid, () => child.kill('SIGKILL')),
        (err) => settle(() => reject(err)),
      );
      child.stdout.on('data', (c: Buffer) => output.push('stdout', c));
      child.stderr.on('data', (c: Buffer) => output.push('stderr', c));
      child.on('error', (err: NodeJS.ErrnoException) => {
        // Mirror what a shell reports (cd failure 2, not found 127, not executable 126), so callers treat local
        // and remote alike. Node reports a missing cwd as ENOENT of the program, so tell the two apart.
        if (opts.cwd !== undefined && !existsSync(opts.cwd)) {
          settle(() => resolve({ code: 2, stdout: '', stderr: `cd: ${opts.cwd}: No such file or directory\n` }));
          return;
        }
        const code = err.code === 'ENOENT' ? 127 : err.code === 'EACCES' ? 126 : 1;
        settle(() => resolve({ code, stdout: '', stderr: `${program}: ${err.message}\n` }));
      });
      child.on('close', (code, signal) => {
        const text = output.finish();
        settle(() => resolve(signal ? { code: -1, signal, ...text } : { code: code ?? -1, ...text }));
      });
      child.stdin.on('error', () => {}); // The command may exit without reading its input (EPIPE).
      feedStdin(child.stdin, opts.stdin);
    });
  }

  async upload(path: string, source: Readable, opts: { mode?: number } = {}): Promise<void> {
    const mode = opts.mode ?? 0o600;
    const tmp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
    try {
      await pipeline(source, createWriteStream(tmp, { flags: 'wx', mode }));
      await chmod(tmp, mode); // The umask may have narrowed the mode given at creation.
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw new UserError(`could not upload to ${path}: ${(err as Error).message}`);
    }
  }

  async download(path: string): Promise<Readable> {
    try {
      const handle = await open(path, 'r');
      return handle.createReadStream({ autoClose: true });
    } catch (err) {
      throw new UserError(`could not read ${path}: ${(err as Error).message}`);
    }
  }

  /** A TCP connection from the runner itself. */
  connectTcp(host: string, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host, port, noDelay: true });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
    });
  }

  async close(): Promise<void> {}
}

function killGroup(pid: number | undefined, fallback: () => void): void {
  try {
    if (pid === undefined) throw new Error('no pid');
    process.kill(-pid, 'SIGKILL');
  } catch {
    fallback();
  }
}
