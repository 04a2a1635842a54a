/**
 * Run one action module as its entry point would (runModule: inputs from the runner, its failure and
 * cleanup), against a World through the connection seam, and return what it did: the exact commands each target
 * received, the Engine API calls, what the connector was asked for, and the runner's outputs, failure and log.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionModule } from '../../../src/actions/module.js';
import { runModule } from '../../../src/actions/module.js';
import { quoteArg } from '../../../src/core/quote.js';
import type { Journal } from '../../../src/deploy/journal.js';
import type { InputSpecs } from '../../../src/inputs/spec.js';
import { memoryRunner } from '../helpers/runner.js';
import { FakeEngine } from './fake-engine.js';
import type { ExecRecord, TcpRecord } from './recording-transport.js';
import { recordingConnector, World } from './world.js';

export interface FlowOptions {
  inputs: Record<string, string>;
  /** runbook.yml text, written to a temp dir (removed after the run) and passed as the `config` input. */
  config: string;
  /** The process environment the action sees (GitHub run variables are filled in). */
  env?: Record<string, string>;
  /** Files put on targets before the run: `{ web1: { '/path': 'text' } }`. */
  files?: Record<string, Record<string, string>>;
  /** The world to run in (keep it to chain runs: deploy v1, deploy v2, rollback). Default: a new one. */
  world?: World;
}

export interface FlowResult {
  ok: boolean;
  /** Every command run on a target, one shell-quoted line each (random temp suffixes shown as RANDOM). */
  commands: string[];
  /** `commands` with each atomic file write (mkdir -p, dd, mv -f, sync) folded into one `write <path>` line. */
  steps: string[];
  /** The commands with their target, cwd, env and secret variable names. */
  execs: ExecRecord[];
  /** The Engine API calls that change something (pulls, tags, containers created, started, stopped, removed). */
  engineCalls: string[];
  /** Every Engine API call, reads (inspect, list, logs) included. */
  engineLog: string[];
  /** TCP connections opened from targets (port probes and HTTP health probes). */
  tcp: TcpRecord[];
  /** What the session asked the connector for: `shell web1`, `engine web1`, `close`. */
  connector: string[];
  outputs: Record<string, string>;
  failed: string[];
  lines: string[];
  summary: string[];
  world: World;
}

const GITHUB_ENV = {
  GITHUB_RUN_ID: '4242',
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_ACTOR: 'octocat',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
};

const RANDOM = /\.(tmp|stale)-[0-9a-f]{12}/g;

export function commandLine(argv: readonly string[]): string {
  return argv
    .map((a) => quoteArg(a))
    .join(' ')
    .replace(RANDOM, '.$1-RANDOM');
}

/** Fold every `mkdir -p D; dd of=P.tmp-R …; mv -f -- P.tmp-R P; sync -- D` (writeAtomic) into `write P`. */
export function fold(commands: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < commands.length; i++) {
    const m = /^dd of=(\S+)\.tmp-RANDOM conv=fsync status=none$/.exec(commands[i + 1] ?? '');
    const path = m?.[1];
    if (
      path !== undefined &&
      commands[i]?.startsWith('mkdir -p -- ') &&
      commands[i + 2] === `mv -f -- ${path}.tmp-RANDOM ${path}` &&
      commands[i + 3]?.startsWith('sync -- ')
    ) {
      out.push(`write ${path}`);
      i += 3;
    } else out.push(commands[i] as string);
  }
  return out;
}

export async function runFlow<S extends InputSpecs>(mod: ActionModule<S>, o: FlowOptions): Promise<FlowResult> {
  const world = o.world ?? new World();
  const dir = mkdtempSync(join(tmpdir(), 'runbook-flow-'));
  const configPath = join(dir, 'runbook.yml');
  writeFileSync(configPath, o.config);
  for (const [target, files] of Object.entries(o.files ?? {})) {
    for (const [path, text] of Object.entries(files)) world.host(target).transport.fs.write(path, text);
  }
  const marks = {
    execs: world.execs.length,
    tcp: world.tcp.length,
    engine: world.engineCalls.length,
    connector: world.connector.length,
  };
  const { runner, record } = memoryRunner({ config: configPath, ...o.inputs }, { env: { ...GITHUB_ENV, ...o.env } });
  const clock = world.clock();
  const connector = recordingConnector(world);
  const ok = await runModule(mod, { runner, clock, signals: new EventEmitter(), connector }).finally(() =>
    rmSync(dir, { recursive: true, force: true }),
  );
  // The next run starts a minute after this one ended (release ids and journal times keep their order).
  world.now = clock.now().getTime() + 60_000;

  const execs = world.execs.slice(marks.execs);
  const commands = execs.map((e) => commandLine(e.argv));
  const engineLog = world.engineCalls.slice(marks.engine).map((c) => c.call);
  return {
    ok,
    commands,
    steps: fold(commands),
    execs,
    engineCalls: FakeEngine.changes(engineLog),
    engineLog,
    tcp: world.tcp.slice(marks.tcp),
    connector: world.connector.slice(marks.connector),
    outputs: Object.fromEntries(record.outputs),
    failed: record.failed,
    lines: record.lines,
    summary: record.summary,
    world,
  };
}

/** The host ports of every upstream file the run wrote (each nginx switch, in order). */
export function upstreamWrites(r: FlowResult, file = '/etc/nginx/upstreams/shop.conf'): number[][] {
  return r.execs
    .filter((e) => e.argv[0] === 'dd' && e.argv[1]?.startsWith(`of=${file}.tmp-`))
    .map((e) => [...(e.stdin ?? '').matchAll(/server 127\.0\.0\.1:(\d+) max_fails/g)].map((m) => Number(m[1])));
}

/** The journal on the world's primary target, as `[version, status]` per release and `[tool, status]` per migration. */
export function journalOf(world: World, path = '/var/lib/runbook/shop/production/journal.json') {
  const text = world.host('web1').transport.fs.files.get(path);
  const j = JSON.parse(text ?? '{"releases":[]}') as Journal;
  return {
    raw: j,
    releases: j.releases.map((r) => [r.version, r.status]),
    migrations: (j.migrations ?? []).map((m) => [m.revisionBefore, m.revisionAfter, m.status]),
  };
}

/** The lines logged inside the (top-level) group whose title starts with `title`. */
export function groupLines(r: FlowResult, title: string): string[] {
  const start = r.lines.findIndex((l) => l.startsWith(`::group::${title}`));
  if (start < 0) return [];
  const end = r.lines.indexOf('::endgroup::', start);
  return r.lines.slice(start + 1, end);
}

/**
 * Every place a run could leak `secret` to that holds it: its log lines, summary, outputs, failure, the commands with
 * their stdin and environment, and the files on the first target except `keep` (the one file meant to hold it).
 */
export function leaksOf(r: FlowResult, secret: string, keep: string): string[] {
  const files = [...r.world.host().transport.fs.files.entries()]
    .filter(([path]) => path !== keep)
    .map(([path, text]) => `${path}\n${text}`);
  const texts = [
    ...r.lines,
    ...r.summary,
    ...Object.values(r.outputs),
    ...r.failed,
    ...r.commands,
    ...r.execs.map((e) => String(e.stdin ?? '')),
    ...r.execs.map((e) => JSON.stringify(e.env ?? {})),
    ...files,
  ];
  return texts.filter((t) => t.includes(secret));
}
