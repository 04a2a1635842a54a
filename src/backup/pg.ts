/** Running PostgreSQL's client programs on the primary target, with the password in PGPASSWORD only. */
import { randomBytes } from 'node:crypto';
import {
  COUNTS_SQL,
  createDbCommand,
  dropDbCommand,
  endDatabaseSessionsSql,
  endSessionsSql,
  type PgCommand,
  type PgEndpoint,
  psqlCommand,
} from '../commands/postgres.js';
import { errorMessage, UserError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { secretEnvProblem } from '../transports/secret-env.js';
import type { ExecOptions, ExecResult, Transport } from '../transports/types.js';

/** Rows per table and the server's version, as COUNTS_SQL reports them. */
export interface TableCounts {
  serverVersion: string;
  counts: Record<string, number>;
}

/** The last line of psql output that holds COUNTS_SQL's JSON object. */
export function parseCounts(stdout: string): TableCounts {
  const line = stdout
    .split('\n')
    .map((l) => l.trim())
    .findLast((l) => l.startsWith('{'));
  if (line === undefined) throw new UserError(`psql printed no row counts (output: ${stdout.slice(0, 200)})`);
  const doc = JSON.parse(line) as { server_version?: unknown; counts?: unknown };
  const counts: Record<string, number> = {};
  for (const [table, n] of Object.entries((doc.counts ?? {}) as Record<string, unknown>)) {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      throw new UserError(`psql reported a row count that is not a count for ${table}: ${String(n)}`);
    }
    counts[table] = n;
  }
  return { serverVersion: String(doc.server_version ?? 'unknown'), counts };
}

/** First meaningful line of a failed command's error output. */
export function firstError(r: ExecResult): string {
  const lines = r.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const line = lines.find((l) => /error|fatal|fail|no space|killed|denied|not found/i.test(l)) ?? lines[0];
  const how = r.signal ? `killed by ${r.signal}` : `exit ${r.code}`;
  return line === undefined ? how : `${how}: ${line}`;
}

export class PgClient {
  constructor(
    readonly t: Transport,
    readonly endpoint: PgEndpoint,
    private readonly password: string,
    readonly log: Logger,
    readonly signal?: AbortSignal,
    /** The target's non-secret environment for every command (e.g. DOCKER_HOST). */
    private readonly env: Readonly<Record<string, string>> = {},
  ) {
    // Refused before any command runs, naming the setting (pre-deploy-check names the variable too).
    const problem = secretEnvProblem(password);
    if (problem) throw new UserError(`the database password (the variable database.password-env names) ${problem}`);
  }

  /** Run a client program (or a helper like cat in the container) with PGPASSWORD delivered as a secret. */
  exec(cmd: PgCommand, opts: Omit<ExecOptions, 'secretEnv' | 'cwd' | 'env'> = {}): Promise<ExecResult> {
    this.log.debug(`${this.t.name}: ${cmd.argv.map((a) => (a.length > 120 ? `${a.slice(0, 60)}…` : a)).join(' ')}`);
    return this.t.exec(cmd.argv, {
      quiet: true,
      signal: this.signal,
      ...opts,
      env: this.env,
      cwd: cmd.cwd,
      secretEnv: { PGPASSWORD: this.password },
    });
  }

  /** Run and fail with a UserError naming `what` when the command exits non-zero. */
  async must(
    cmd: PgCommand,
    what: string,
    opts: Omit<ExecOptions, 'secretEnv' | 'cwd' | 'env'> = {},
  ): Promise<ExecResult> {
    const r = await this.exec(cmd, opts);
    if (r.code !== 0) throw new UserError(`${what} failed on ${this.t.name} (${firstError(r)})`);
    return r;
  }

  async counts(database: string): Promise<TableCounts> {
    const r = await this.must(psqlCommand(this.endpoint, database, COUNTS_SQL), `counting rows in ${database}`);
    return parseCounts(r.stdout);
  }

  /** A fresh empty database named after the configured one, for a verify restore. */
  async createScratch(purpose: string): Promise<string> {
    const name = `${this.endpoint.database.slice(0, 40)}_${purpose}_${randomBytes(4).toString('hex')}`;
    await this.must(createDbCommand(this.endpoint, name), `creating the scratch database ${name} (CREATEDB needed)`);
    return name;
  }

  /**
   * Drop a scratch database; a failure is logged, never thrown (it must not hide the verify's own result). Runs even
   * after a cancel (its own deadlines, not the run's signal): sessions still in it (a restore whose client was killed
   * keeps running on the server) are ended first, or dropdb would refuse.
   */
  async dropScratch(name: string): Promise<void> {
    const end = psqlCommand(this.endpoint, this.endpoint.database);
    await this.exec(end, { signal: undefined, timeoutMs: 30_000, stdin: endDatabaseSessionsSql(name, 10_000) }).catch(
      () => undefined,
    );
    const r = await this.exec(dropDbCommand(this.endpoint, name), { signal: undefined, timeoutMs: 120_000 }).catch(
      (err: unknown): ExecResult => ({ code: -1, stdout: '', stderr: errorMessage(err) }),
    );
    if (r.code !== 0) this.log.warn(`could not drop the scratch database ${name}: ${firstError(r)}; drop it by hand`);
  }

  /**
   * End every session named `app` (application_name) on the configured database and wait up to `waitMs` ms for them
   * to go; not bound to the run's signal (it is what a cancel runs). Resolves with how many there were and how many
   * are left; rejects (UserError) when psql cannot run or its output is not two counts.
   */
  async endSessions(app: string, waitMs: number): Promise<{ found: number; remaining: number }> {
    const cmd = psqlCommand(this.endpoint, this.endpoint.database);
    const r = await this.must(cmd, `ending the database sessions named ${app}`, {
      signal: undefined,
      timeoutMs: waitMs + 30_000,
      stdin: endSessionsSql(app, waitMs),
    });
    const [found, remaining] = r.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^\d+$/.test(l))
      .map(Number);
    if (found === undefined || remaining === undefined) {
      throw new UserError(`psql printed no session counts (output: ${r.stdout.slice(0, 200)})`);
    }
    return { found, remaining };
  }
}
