/**
 * A migration tool that did not end on its own (the run cancelled, a timeout, a lost connection) is killed, but
 * PostgreSQL does not notice a vanished client until the running statement ends: without more, the statement keeps
 * its locks and may commit long after the deploy lock was released. So the tool's sessions, found by the
 * application_name it was given (PGAPPNAME, DATABASE_URL's application_name), are terminated (their transaction is
 * rolled back, their locks freed) and waited for, bounded, before the deploy lock is released; then the revision is
 * read to tell what really happened: unchanged (cancelled) or moved (it completed first).
 */
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import type { MigrationRecord } from '../deploy/journal.js';
import type { Invocation } from './invoke.js';
import { currentRevision } from './open.js';
import type { MigrationTool } from './presets.js';

/** How long the tool's sessions may take to go after they were terminated (ms). */
export const END_WAIT_MS = 15_000;
/** How long reading the revision after the tool may take (ms): a cancelled run has seconds before it is killed. */
export const REVISION_AFTER_MS = 20_000;

/** What ending the tool's sessions found: how many there were and how many were left, or why it could not run. */
export type SessionsEnded = { found: number; remaining: number } | { error: string };

/** Ends the database sessions of one tool run; `end()` runs at most once (the cancel path and the cleanup share it). */
export interface SessionEnder {
  endSessions(app: string, waitMs: number): Promise<{ found: number; remaining: number }>;
}

export class ToolSessions {
  private killed = false;
  private ending: Promise<SessionsEnded> | undefined;

  constructor(
    private readonly pg: SessionEnder,
    /** The application_name the tool's sessions carry. */
    readonly app: string,
    private readonly log: Logger,
    private readonly waitMs = END_WAIT_MS,
  ) {}

  /** Run the tool; when it does not end by itself (it rejects: killed on cancel or timeout), mark it killed. */
  async run<T>(tool: () => Promise<T>): Promise<T> {
    try {
      return await tool();
    } catch (err) {
      this.killed = true;
      throw err;
    }
  }

  /**
   * End the sessions of a killed tool (and wait for them to go, up to `waitMs` ms); undefined when the tool ended
   * by itself (its sessions closed with it). Never throws: the failure is in the result.
   */
  settle(): Promise<SessionsEnded | undefined> {
    if (!this.killed) return Promise.resolve(undefined);
    this.ending ??= this.pg.endSessions(this.app, this.waitMs).then(
      (r) => {
        if (r.found > 0) this.log.info(`ended ${r.found} database session(s) of the stopped tool (${this.app})`);
        return r;
      },
      (err: unknown) => ({ error: errorMessage(err) }),
    );
    return this.ending;
  }
}

/**
 * The revision after the tool ran (or was killed), or why it could not be read. Bound to the run's `signal` (the
 * read's own 120 s timeout applies); once the run is cancelled, read anyway within REVISION_AFTER_MS, so the journal
 * still says where the schema is.
 */
export async function revisionAfter(
  inv: Invocation,
  tool: MigrationTool,
  signal: AbortSignal,
): Promise<{ revision: string } | { error: string }> {
  if (!tool.current) return { error: 'the tool has no command that prints its revision' };
  try {
    const bound = signal.aborted ? AbortSignal.timeout(REVISION_AFTER_MS) : signal;
    return { revision: await currentRevision(inv, tool, bound) };
  } catch (err) {
    return { error: errorMessage(err) };
  }
}

export interface KilledToolFacts {
  /** Why the tool was killed: the cancel's reason ("cancelled by SIGTERM") or the timeout's message. */
  reason: string;
  /** True when the run was cancelled (the status may be `cancelled`); false for a timeout or a lost connection. */
  cancelled: boolean;
  app: string;
  before: string;
  after: { revision: string } | { error: string };
  sessions: SessionsEnded;
  waitMs: number;
}

/** The journal's account of a killed tool: a status and a one-line error that says what really happened. */
export interface KilledToolOutcome {
  status: MigrationRecord['status'];
  error: string;
  revisionAfter?: string;
}

const rev = (r: string): string => r || '(none)';

/** What the journal says about a killed tool, from what was seen after it (pure). */
export function killedToolOutcome(f: KilledToolFacts): KilledToolOutcome {
  const after = 'revision' in f.after ? f.after.revision : undefined;
  const failed = (why: string): KilledToolOutcome => ({
    status: 'failed',
    error: `${f.reason}; ${why}`,
    revisionAfter: after,
  });
  if ('error' in f.sessions) {
    return failed(
      `its database sessions could not be ended (${f.sessions.error}): its statement may still be running (application_name ${f.app} in pg_stat_activity)`,
    );
  }
  if (f.sessions.remaining > 0) {
    return failed(
      `${f.sessions.remaining} database session(s) of the tool (application_name ${f.app}) were still there ${f.waitMs / 1000}s after being terminated: its statement may still be running`,
    );
  }
  if (after === undefined) {
    const why = 'error' in f.after ? f.after.error : '';
    return failed(
      `its sessions ended, but the revision after could not be read (${why}): check it before migrating again`,
    );
  }
  if (after !== f.before) {
    return {
      status: f.cancelled ? 'applied' : 'failed',
      error: `${f.reason}, but the schema had already moved from ${rev(f.before)} to ${rev(after)}: the migration (or part of it) completed`,
      revisionAfter: after,
    };
  }
  const ended =
    f.sessions.found > 0
      ? `its ${f.sessions.found} database session(s) were ended`
      : `no database session named ${f.app} was left (a driver that ignores PGAPPNAME and application_name cannot be found by name)`;
  return {
    status: f.cancelled ? 'cancelled' : 'failed',
    error: `${f.reason}: the tool was stopped, ${ended}, and the schema is unchanged at ${rev(f.before)}`,
    revisionAfter: after,
  };
}
