/**
 * An nginx of a test site's own (never the shared sandbox nginx), laid out as a team would: everything under a prefix
 * the site names (`<its tmp dir>/nginx`), its master run by root (so the test process must be root).
 *   nginx.conf   worker_processes 2, pid nginx.pid, http { the temp paths under temp/ (mode 0777: the workers, nobody,
 *                write there); access_log logs/access.log; the site's extra http-level lines (a log_format, which
 *                must come before the include that uses it); include conf.d/*.conf; }
 *   conf.d/      the site's files (`confd`, written before the start), root's
 *   logs/        error.log, access.log
 * The site's own directory must let nginx's workers through to temp/ (mode 0755).
 * `allowReload` writes a sudoers rule letting a user run exactly `<argv> -t` and `<argv> -s reload`; close() quits
 * nginx, waits for the master (SIGTERM after 5 s) and removes the sudoers rules. Removing the prefix is the site's.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const NGINX = '/usr/sbin/nginx';

export interface OwnNginxOptions {
  /** Lines at http level after access_log, before `include conf.d/*.conf` (e.g. a log_format and its comment). */
  http?: string[];
  /** Files in conf.d/ by name, written before nginx starts. */
  confd?: Record<string, string>;
}

export interface OwnNginx {
  prefix: string;
  confd: string;
  logs: string;
  conf: string;
  pidFile: string;
  /** nginx with its prefix, config and error log: add `-t`, `-s reload`, `-s quit`. */
  argv: string[];
  /**
   * Write `/etc/sudoers.d/<file>`: `user` may run exactly `<argv> -t` and `<argv> -s reload` as root (checked with
   * visudo -c, then moved into place).
   */
  allowReload(user: string, file: string): void;
  /** Quit nginx (waiting for the master, SIGTERM after 5 s) and remove the sudoers rules. Never throws. */
  close(): Promise<void>;
}

/** Wait (at most 5 s) until the process `pid` is gone; false when it is still there. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Lay out an nginx under `prefix` and start it. */
export function ownNginx(prefix: string, o: OwnNginxOptions = {}): OwnNginx {
  const confd = join(prefix, 'conf.d');
  const logs = join(prefix, 'logs');
  const temp = join(prefix, 'temp');
  for (const d of [confd, logs, temp]) mkdirSync(d, { recursive: true });
  chmodSync(temp, 0o777);
  const conf = join(prefix, 'nginx.conf');
  const pidFile = join(prefix, 'nginx.pid');
  writeFileSync(
    conf,
    `worker_processes 2;
pid ${pidFile};
events { worker_connections 512; }
http {
  client_body_temp_path ${temp}/client_body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
  access_log ${logs}/access.log;
${(o.http ?? []).map((line) => `  ${line}\n`).join('')}  include ${confd}/*.conf;
}
`,
  );
  for (const [file, text] of Object.entries(o.confd ?? {})) writeFileSync(join(confd, file), text);
  const argv = [NGINX, '-p', `${prefix}/`, '-c', conf, '-e', join(logs, 'error.log')];
  execFileSync(NGINX, argv.slice(1));
  const sudoers: string[] = [];
  return {
    prefix,
    confd,
    logs,
    conf,
    pidFile,
    argv,
    allowReload: (user, file) => {
      const path = `/etc/sudoers.d/${file}`;
      const rule = `${user} ALL=(root) NOPASSWD: ${[...argv, '-t'].join(' ')}, ${[...argv, '-s', 'reload'].join(' ')}\n`;
      writeFileSync(`${path}.tmp`, rule, { mode: 0o440 });
      execFileSync('visudo', ['-c', '-q', '-f', `${path}.tmp`]);
      execFileSync('mv', [`${path}.tmp`, path]);
      sudoers.push(path);
    },
    close: async () => {
      try {
        const master = Number(readFileSync(pidFile, 'utf8').trim());
        execFileSync(NGINX, [...argv.slice(1), '-s', 'quit']);
        // A graceful quit waits for requests in flight; one that hangs gets a fast stop.
        if (!(await gone(master))) process.kill(master, 'SIGTERM');
        await gone(master);
      } catch {}
      for (const path of sudoers) rmSync(path, { force: true });
    },
  };
}
