import { removeFilesArgv } from '../commands/files.js';
import { parsePids, renderUpstream, type UpstreamServer, workersArgv } from '../commands/nginx.js';
import type { NginxProxyConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { UserError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { errorLine } from '../core/stderr.js';
import { readText, writeAtomic } from '../transports/files.js';
import type { Transport } from '../transports/types.js';

const QUIET = { quiet: true, timeoutMs: 30_000 } as const;
const RELOAD_DEADLINE_MS = 15_000;
/** Old workers finish their requests before they exit; long-lived connections (websockets) may keep them longer. */
const OLD_WORKERS_GRACE_MS = 10_000;

/**
 * Moves traffic by rewriting an nginx upstream file: write atomically, validate with `nginx -t` (a file that fails
 * is replaced by the old bytes, untouched), reload, and wait until workers started by this reload are serving.
 */
export class NginxUpstream {
  constructor(
    private readonly t: Transport,
    private readonly cfg: NginxProxyConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async current(): Promise<string | undefined> {
    return readText(this.t, this.cfg['upstream-file']);
  }

  async set(servers: readonly UpstreamServer[], why: string): Promise<void> {
    const file = this.cfg['upstream-file'];
    const next = renderUpstream(this.cfg.upstream, servers);
    const before = await this.current();
    if (before === next) return;
    await writeAtomic(this.t, file, next);
    const test = await this.t.exec(this.cfg.test, QUIET);
    if (test.code !== 0) {
      if (before === undefined) await this.t.exec(removeFilesArgv([file]), QUIET);
      else await writeAtomic(this.t, file, before);
      throw new UserError(`nginx rejected the new upstream (${why}); the old file is back: ${errorLine(test.stderr)}`);
    }
    const master = await this.masterPid();
    const oldWorkers = new Set(master ? await this.workers(master) : []);
    const reload = await this.t.exec(this.cfg.reload, QUIET);
    if (reload.code !== 0) throw new UserError(`nginx reload failed (${why}): ${reload.stderr.trim()}`);
    if (master) await this.waitForNewWorkers(master, oldWorkers);
    this.log.info(
      `nginx ${this.cfg.upstream} → ${servers.map((s) => `${s.host}:${s.port}`).join(', ') || '(none)'} (${why})`,
    );
  }

  private async masterPid(): Promise<number | undefined> {
    const text = await readText(this.t, this.cfg['pid-file']);
    const pid = Number(text?.trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }

  private async workers(master: number): Promise<number[]> {
    const r = await this.t.exec(workersArgv(master), QUIET);
    return parsePids(r.stdout);
  }

  /**
   * `nginx -s reload` returns before the new workers serve, and until the old workers get their QUIT they still accept
   * connections with the old upstream. Done when new workers run and the old ones are gone (or, for old workers held
   * by long-lived connections, after a grace period: they no longer accept new connections by then).
   */
  private async waitForNewWorkers(master: number, old: Set<number>): Promise<void> {
    const start = this.clock.now().getTime();
    for (;;) {
      const now = await this.workers(master);
      const fresh = now.some((p) => !old.has(p));
      const lingering = now.filter((p) => old.has(p));
      const elapsed = this.clock.now().getTime() - start;
      if (fresh && lingering.length === 0) return;
      if (fresh && elapsed >= OLD_WORKERS_GRACE_MS) {
        this.log.info(`nginx: ${lingering.length} old worker(s) still finishing their connections; continuing`);
        return;
      }
      if (elapsed >= RELOAD_DEADLINE_MS) {
        throw new UserError(`nginx did not start new workers within ${RELOAD_DEADLINE_MS / 1000}s of the reload`);
      }
      await this.clock.sleep(50);
    }
  }
}
