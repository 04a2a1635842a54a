/**
 * The upstream layout checked before any change: the live upstream file is read and parsed, the deploy user's right
 * to write it is checked, and the file as the first switch would write it is tested by the target's own nginx
 * binary (`nginx -t`) in a throwaway prefix — the live file and the live nginx untouched. The candidate config holds
 * only the named upstream (the block, or the server lines inside `upstream NAME { … }`) and a server that proxies
 * to it, so a parameter or directive nginx refuses is found here rather than by the deploy's first switch.
 */

import { removeTreeArgv } from '../commands/files.js';
import { mkdtempArgv, nginxCandidateTestArgv, nginxProgram } from '../commands/nginx.js';
import type { NginxProxyConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import { errorLine } from '../core/stderr.js';
import { exitText } from '../transports/exit-status.js';
import { configFileAccess, notWritable, readText, writeAtomic } from '../transports/files.js';
import type { Transport } from '../transports/types.js';
import { type NginxEngine, NginxUpstream } from './nginx.js';
import {
  readUpstreamFile,
  rewriteUpstreamFile,
  type UpstreamFile,
  type UpstreamServer,
  upstreamBlockText,
} from './upstream-file.js';

export interface CandidateResult {
  status: 'pass' | 'warn' | 'fail';
  /**
   * `nginx upstream` (layout and write access), `nginx candidate` (the switched file under nginx -t), and for nginx
   * in a container `nginx container` (running, its main process the master with workers) and `nginx test` (the
   * configured test run in it).
   */
  check: 'nginx upstream' | 'nginx candidate' | 'nginx container' | 'nginx test';
  detail: string;
}

/** What the checks of nginx in a container need: its engine, and a clock and log for the upstream it builds. */
export interface ContainerContext {
  engine?: NginxEngine;
  clock: Clock;
  log: Logger;
}

/**
 * The upstream servers a first switch will write, for the candidate test: the fronted service's replicas on the
 * first ports of its host-ports (none: the placeholder stands in).
 */
export function candidateSample(
  service: { replicas: number; 'host-ports'?: [number, number] } | undefined,
): UpstreamServer[] {
  const lo = service?.['host-ports']?.[0];
  if (!service || lo === undefined) return [];
  return Array.from({ length: service.replicas }, (_, i) => ({ address: `127.0.0.1:${lo + i}` }));
}

/** nginx in its container: running with workers under its main process, and the configured test passing in it. */
async function checkContainer(
  t: Transport,
  nginx: NginxProxyConfig,
  c: ContainerContext | undefined,
): Promise<CandidateResult[]> {
  const name = nginx.container as string;
  if (!c?.engine) {
    return [
      {
        status: 'fail',
        check: 'nginx container',
        detail: `nginx container ${name}: the target has no Engine API (set docker-socket)`,
      },
    ];
  }
  const out: CandidateResult[] = [];
  try {
    const m = await new NginxUpstream(t, nginx, c.clock, c.log, c.engine).master();
    out.push({
      status: 'pass',
      check: 'nginx container',
      detail: `${name}: master pid ${m.pid} on the host, ${m.workers.length} workers`,
    });
  } catch (err) {
    return [{ status: 'fail', check: 'nginx container', detail: errorMessage(err) }];
  }
  const r = await c.engine
    .execInContainer(name, nginx.test)
    .catch((err: Error) => ({ code: -1, stdout: '', stderr: err.message }));
  out.push(
    r.code === 0
      ? { status: 'pass', check: 'nginx test', detail: `${nginx.test.join(' ')} passes in container ${name}` }
      : {
          status: 'fail',
          check: 'nginx test',
          detail: `${nginx.test.join(' ')} in container ${name}: ${errorLine(r.stderr) || exitText(r)}`,
        },
  );
  return out;
}

const QUIET = { quiet: true, timeoutMs: 30_000 } as const;

const LAYOUT_TEXT: Record<UpstreamFile['layout'], string> = {
  block: 'the whole upstream block',
  servers: 'server lines included inside the block',
  new: 'not there yet',
};

/** The minimal nginx.conf around a candidate upstream, under the throwaway prefix `dir`. */
function candidateConf(dir: string, name: string, upstream: string): string {
  return `# runbook-actions: a candidate upstream under nginx -t (a throwaway prefix; nothing is served)
pid ${dir}/nginx.pid;
events { worker_connections 16; }
http {
  access_log off;
  client_body_temp_path ${dir}/temp; proxy_temp_path ${dir}/temp; fastcgi_temp_path ${dir}/temp;
  uwsgi_temp_path ${dir}/temp; scgi_temp_path ${dir}/temp;
${upstream}
  server { listen unix:${dir}/candidate.sock; location / { proxy_pass http://${name}; } }
}
`;
}

/**
 * Check the upstream file of `nginx` on `t` as the first switch will use it, `sample` standing for the servers it
 * will write (e.g. the first host port of the service). Never changes the live file; removes its temp directory.
 */
export async function checkUpstreamCandidate(
  t: Transport,
  nginx: NginxProxyConfig,
  sample: readonly UpstreamServer[],
  container?: ContainerContext,
  opts: { sticky?: string } = {},
): Promise<CandidateResult[]> {
  const path = nginx['upstream-file'];
  const name = nginx.upstream;
  let text: string | undefined;
  let file: UpstreamFile;
  try {
    text = await readText(t, path);
    file = readUpstreamFile(text, name, path);
  } catch (err) {
    return [{ status: 'fail', check: 'nginx upstream', detail: errorMessage(err) }];
  }
  const out: CandidateResult[] = [];
  // The same decision the switch makes when it writes (atomic, in place, or not at all).
  const canWrite = (await configFileAccess(t, path)) !== undefined;
  const where = `upstream ${name} in ${path} (${LAYOUT_TEXT[file.layout]}${file.line ? `, line ${file.line}` : ''})`;
  const kept = [
    file.servers.length > 0
      ? `${file.servers.length} serving now: ${file.servers.map((s) => s.address).join(', ')}`
      : '',
    file.backups.length > 0 ? `${file.backups.length} backup server(s) kept` : '',
  ].filter(Boolean);
  if (!canWrite) {
    out.push({
      status: 'fail',
      check: 'nginx upstream',
      detail: `${where}: ${notWritable(t, path).message}`,
    });
  } else if (file.layout === 'new') {
    out.push({
      status: 'warn',
      check: 'nginx upstream',
      detail: `${path} does not exist yet: the first deploy writes server lines there, which nginx must include inside upstream ${name} { include ${path}; }`,
    });
  } else
    out.push({
      status: 'pass',
      check: 'nginx upstream',
      detail: `${where}${kept.length ? `; ${kept.join('; ')}` : ''}`,
    });

  if (nginx.container !== undefined) {
    out.push(...(await checkContainer(t, nginx, container)));
    out.push({
      status: 'warn',
      check: 'nginx candidate',
      detail: `nginx runs in container ${nginx.container}: the switched file is tested there by deploy itself (nginx -t through the Engine API; a rejected file is put back)`,
    });
    return out;
  }
  const program = nginxProgram(nginx.test);
  if (!program) {
    out.push({
      status: 'warn',
      check: 'nginx candidate',
      detail: `the test command (${nginx.test.join(' ')}) runs no nginx binary this check can call directly; the switched file is tested by deploy itself (a rejected file is put back)`,
    });
    return out;
  }
  let candidate: string;
  try {
    candidate = rewriteUpstreamFile(text, name, path, sample, opts);
  } catch (err) {
    out.push({ status: 'fail', check: 'nginx candidate', detail: errorMessage(err) });
    return out;
  }
  const upstream = upstreamBlockText(candidate, name, path) ?? `  upstream ${name} {\n${candidate}\n  }\n`;
  const made = await t.exec(mkdtempArgv(), QUIET);
  const tmp = made.stdout.trim();
  if (made.code !== 0 || !tmp.startsWith('/')) {
    out.push({ status: 'fail', check: 'nginx candidate', detail: `mktemp failed: ${errorLine(made.stderr)}` });
    return out;
  }
  try {
    await writeAtomic(t, `${tmp}/nginx.conf`, candidateConf(tmp, name, upstream));
    const r = await t.exec(nginxCandidateTestArgv(program, tmp), QUIET);
    out.push(
      r.code === 0
        ? {
            status: 'pass',
            check: 'nginx candidate',
            detail: `the upstream as a switch writes it (${sample.map((s) => s.address).join(', ') || 'placeholder'}${opts.sticky ? `, with the canary's ${opts.sticky}` : ''}) passes ${program} -t; the live file untouched`,
          }
        : {
            status: 'fail',
            check: 'nginx candidate',
            detail: `the upstream as a switch would write it fails ${program} -t: ${errorLine(r.stderr) || exitText(r)}`,
          },
    );
  } catch (err) {
    out.push({ status: 'fail', check: 'nginx candidate', detail: errorMessage(err) });
  } finally {
    await t.exec(removeTreeArgv(tmp), QUIET).catch(() => undefined);
  }
  return out;
}
