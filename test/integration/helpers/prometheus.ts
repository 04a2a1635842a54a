/**
 * A throwaway Prometheus of a test's own (Debian's /usr/bin/prometheus): its own config and TSDB in a temp dir, on a
 * free port of 127.0.0.1, scraping the given targets every second. Started in the foreground as a child of the test
 * process, stopped by its pid, its directory removed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePortRange } from './ports.js';

export const PROMETHEUS_BIN = '/usr/bin/prometheus';
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

export interface OwnPrometheus {
  /** http://127.0.0.1:PORT */
  url: string;
  /** The last lines it logged (for a failing test's message). */
  log(): string;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The result list of an instant query, or undefined when Prometheus does not answer (yet). */
async function instant(url: string, query: string): Promise<unknown[] | undefined> {
  try {
    const r = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`, {
      signal: AbortSignal.timeout(2000),
    });
    const doc = (await r.json()) as { status?: string; data?: { result?: unknown[] } };
    return doc.status === 'success' ? doc.data?.result : undefined;
  } catch {
    return undefined;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/**
 * Start Prometheus scraping `targets` (`host:port`, path /metrics) and wait until `ready` (an instant query)
 * returns at least one series: the first scrape has landed.
 */
export async function startPrometheus(targets: string[], ready: string): Promise<OwnPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s, scrape_timeout: 1s }',
      'scrape_configs:',
      '  - job_name: app',
      `    static_configs: [{ targets: ${JSON.stringify(targets)} }]`,
      '',
    ].join('\n'),
  );
  const [port] = await freePortRange(1);
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let lines: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    lines = [...lines, ...d.split('\n').filter(Boolean)].slice(-20);
  });
  const log = () => lines.join('\n');
  const gone = exited(child);
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.pid !== undefined && child.kill('SIGKILL'), STOP_GRACE_MS);
      await gone;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await close();
      throw new Error(`prometheus exited before it was ready:\n${log()}`);
    }
    if (((await instant(url, ready)) ?? []).length > 0) return { url, log, close };
    if (Date.now() > deadline) {
      await close();
      throw new Error(`prometheus at ${url} returned nothing for ${ready} within ${READY_TIMEOUT_MS} ms:\n${log()}`);
    }
    await sleep(200);
  }
}
