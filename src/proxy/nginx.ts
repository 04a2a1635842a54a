import { removeFilesArgv } from '../commands/files.js';
import { parsePids, workersArgv } from '../commands/nginx.js';
import type { NginxProxyConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { UserError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { errorLine } from '../core/stderr.js';
import type { ContainerInfo, ExecInContainerResult } from '../docker/types.js';
import { configFileAccess, notWritable, readText, writeConfigFile } from '../transports/files.js';
import type { ExecResult, Transport } from '../transports/types.js';
import {
  readUpstreamFile,
  rewriteUpstreamFile,
  type UpstreamFile,
  UpstreamLayoutError,
  type UpstreamServer,
} from './upstream-file.js';
import type { UpstreamSwitch } from './upstream-switch.js';

const QUIET = { quiet: true, timeoutMs: 30_000 } as const;
const RELOAD_DEADLINE_MS = 15_000;
/** Old workers finish their requests before they exit; long-lived connections (websockets) may keep them longer. */
const OLD_WORKERS_GRACE_MS = 10_000;

/** What running nginx in a container needs of the target's Engine API. */
export interface NginxEngine {
  execInContainer(id: string, argv: readonly string[]): Promise<ExecInContainerResult>;
  inspectContainer(id: string): Promise<ContainerInfo>;
}

/**
 * Moves traffic by rewriting an nginx upstream file: write atomically, validate with `nginx -t` (a file that fails
 * is replaced by the old bytes, untouched), reload, and wait until workers started by this reload are serving.
 * With `container` set, nginx runs in that container: test and reload are execs through the Engine API, and the
 * master is the container's main process (the upstream file is written on the host, into the mounted directory).
 */
export class NginxUpstream implements UpstreamSwitch {
  constructor(
    private readonly t: Transport,
    private readonly cfg: NginxProxyConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly engine?: NginxEngine,
  ) {}

  /** Run nginx's test or reload argv where nginx runs: on the host, or in its container. */
  private async nginx(argv: readonly string[]): Promise<ExecResult> {
    const container = this.cfg.container;
    if (container === undefined) return this.t.exec(argv, QUIET);
    return this.requireEngine().execInContainer(container, argv);
  }

  private requireEngine(): NginxEngine {
    if (!this.engine) {
      throw new UserError(
        `${this.t.name}: strategy.proxy.nginx.container needs the target's Engine API (its docker-socket)`,
      );
    }
    return this.engine;
  }

  async current(): Promise<string | undefined> {
    return readText(this.t, this.cfg['upstream-file']);
  }

  /** The file's bytes (undefined: no file yet) and what they hold. Throws UserError when its layout is unusable. */
  async read(): Promise<{ text: string | undefined; file: UpstreamFile }> {
    const text = await this.current();
    return { text, file: this.parse(text) };
  }

  /** Throws UserError (before anything changes) when the deploy user cannot write the upstream file. */
  async assertWritable(): Promise<void> {
    const path = this.cfg['upstream-file'];
    if ((await configFileAccess(this.t, path)) === undefined) throw notWritable(this.t, path);
  }

  /**
   * What the file would be with `servers` as the upstream's primary servers (the dry run shows it); `sticky`: the
   * balancing directive a canary writes (`hash $cookie_x consistent`), none: the toolkit's one removed.
   */
  render(text: string | undefined, servers: readonly UpstreamServer[], opts: { sticky?: string } = {}): string {
    this.parse(text);
    try {
      return rewriteUpstreamFile(text, this.cfg.upstream, this.cfg['upstream-file'], servers, opts);
    } catch (err) {
      if (err instanceof UpstreamLayoutError) throw new UserError(`${this.t.name}: ${err.message}`);
      throw err;
    }
  }

  /**
   * Switch the upstream's primary servers to `servers` (only those lines change), test, reload and wait for the new
   * workers. Nothing happens when the file already says so.
   */
  async set(servers: readonly UpstreamServer[], why: string, opts: { sticky?: string } = {}): Promise<void> {
    const before = await this.current();
    const next = this.render(before, servers, opts);
    if (before === next) return;
    await this.apply(before, next, why);
    const shown = servers.map((s) => `${s.address}${s.weight === undefined ? '' : ` weight=${s.weight}`}`);
    this.log.info(`nginx ${this.cfg.upstream} → ${shown.join(', ') || '(none)'} (${why})`);
  }

  /** Test and reload after a change to another file nginx reads (a route or maintenance file already written). */
  async reloadAfter(path: string, before: string | undefined, why: string): Promise<void> {
    const master = await this.master();
    const test = await this.nginx(this.cfg.test);
    if (test.code !== 0) {
      if (before === undefined) await this.t.exec(removeFilesArgv([path]), QUIET);
      else await writeConfigFile(this.t, path, before);
      const back = before === undefined ? 'removed again (there was none)' : 'back as it was';
      throw new UserError(`nginx rejected ${path} (${why}); the file is ${back}: ${errorLine(test.stderr)}`);
    }
    await this.reload(master, why);
  }

  /**
   * Put the file back to exactly `text` (undefined: remove it), as it was before a change that failed: the same bytes,
   * tested and reloaded. Nothing happens when it already is.
   */
  async restore(text: string | undefined, why: string): Promise<void> {
    const before = await this.current();
    if (before === text) return;
    if (text === undefined) {
      const master = await this.master();
      await this.t.exec(removeFilesArgv([this.cfg['upstream-file']]), QUIET);
      await this.reload(master, why);
    } else await this.apply(before, text, why);
    this.log.info(`nginx ${this.cfg.upstream}: the upstream file is back as it was (${why})`);
  }

  /** What `text` holds (the upstream's servers, its layout). Throws UserError when its layout is unusable. */
  parse(text: string | undefined): UpstreamFile {
    try {
      return readUpstreamFile(text, this.cfg.upstream, this.cfg['upstream-file']);
    } catch (err) {
      if (err instanceof UpstreamLayoutError) throw new UserError(`${this.t.name}: ${err.message}`);
      throw err;
    }
  }

  private async apply(before: string | undefined, next: string, why: string): Promise<void> {
    const file = this.cfg['upstream-file'];
    // Known before anything changes: without the master's pid the switch could not tell when new workers serve.
    const master = await this.master();
    await writeConfigFile(this.t, file, next);
    const test = await this.nginx(this.cfg.test);
    if (test.code !== 0) {
      if (before === undefined) await this.t.exec(removeFilesArgv([file]), QUIET);
      else await writeConfigFile(this.t, file, before);
      throw new UserError(`nginx rejected the new upstream (${why}); the old file is back: ${errorLine(test.stderr)}`);
    }
    await this.reload(master, why);
  }

  /** Reload, then wait for the workers it starts (`master`: as read before the change). */
  private async reload(master: { pid: number; workers: number[] }, why: string): Promise<void> {
    const reload = await this.nginx(this.cfg.reload);
    if (reload.code !== 0) throw new UserError(`nginx reload failed (${why}): ${errorLine(reload.stderr)}`);
    await this.waitForNewWorkers(master.pid, new Set(master.workers));
  }

  /**
   * The running nginx master and its workers: from the pid file, or (nginx in a container) the container's main
   * process as the host sees it. Throws UserError when it cannot be known or has no workers.
   */
  async master(): Promise<{ pid: number; workers: number[] }> {
    const pid =
      this.cfg.container === undefined ? await this.pidFromFile() : await this.pidOfContainer(this.cfg.container);
    const workers = await this.workers(pid);
    if (workers.length === 0) {
      const where =
        this.cfg.container === undefined
          ? `nginx's pid file ${this.cfg['pid-file']} names ${pid}`
          : `the main process of container ${this.cfg.container} (pid ${pid} on the host)`;
      throw new UserError(
        `${this.t.name}: ${where}, which has no worker processes (${this.cfg.container === undefined ? 'nginx not running, or a stale pid file' : "nginx must be the container's main process: nginx -g 'daemon off;'"})`,
      );
    }
    return { pid, workers };
  }

  private async pidFromFile(): Promise<number> {
    const path = this.cfg['pid-file'];
    const text = await readText(this.t, path);
    const pid = Number(text?.trim());
    if (text === undefined || !Number.isInteger(pid) || pid <= 0) {
      throw new UserError(
        `${this.t.name}: nginx's pid file ${path} ${text === undefined ? 'does not exist' : 'holds no pid'}; a switch waits for the workers a reload starts and needs it: set strategy.proxy.nginx.pid-file to the "pid" of nginx.conf`,
      );
    }
    return pid;
  }

  private async pidOfContainer(name: string): Promise<number> {
    const info = await this.requireEngine()
      .inspectContainer(name)
      .catch((err: Error) => {
        throw new UserError(`${this.t.name}: nginx container ${name}: ${err.message}`);
      });
    if (!info.state.running || info.state.pid <= 0)
      throw new UserError(`${this.t.name}: nginx container ${name} is not running (${info.state.status})`);
    return info.state.pid;
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
        throw new UserError(
          `nginx did not start new workers within ${RELOAD_DEADLINE_MS / 1000}s of the reload (watching master ${master}${this.cfg.container === undefined ? ` from ${this.cfg['pid-file']}` : ''}: is it the nginx that reload signals?)`,
        );
      }
      await this.clock.sleep(50);
    }
  }
}
