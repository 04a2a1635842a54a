import { dockerServerVersionArgv } from '../commands/docker-cli.js';
import { COMPOSE_CANDIDATES, composeVersionArgv, dfArgv, parseDf } from '../commands/target-facts.js';
import type { DiskThreshold } from '../config/units.js';
import { satisfies, type VersionConstraint } from '../config/version.js';
import { errorMessage } from '../core/errors.js';
import { exitText } from '../transports/exit-status.js';
import type { Transport } from '../transports/types.js';
import { type CheckResult, fail, pass, warn } from './types.js';

export interface TargetCheckOptions {
  diskPaths: readonly string[];
  minFreeDisk: DiskThreshold;
  /** `false` skips the check. */
  docker: VersionConstraint | false;
  compose: VersionConstraint | false;
  /** The compose command the config chose; undefined tries `docker compose`, then `docker-compose`. */
  composeCommand?: readonly string[];
  /** The target's configured environment (e.g. DOCKER_HOST), given to every command. */
  env?: Readonly<Record<string, string>>;
  /**
   * The engine driver's way to the engine: the Docker Engine API on the target's docker-socket (through SSH on ssh
   * targets), as deploy reaches it. Absent (compose driver): `docker version` runs on the host with `env`, as compose
   * does.
   */
  engine?: { label: string; version(): Promise<string> };
  timeoutMs: number;
  signal?: AbortSignal;
}

const GiB = 1024 ** 3;
const fmtBytes = (n: number): string => `${(n / GiB).toFixed(1)} GiB`;

/** Disk, docker (see `engine`) and compose checks on one reachable target. Every check runs; none stops the others. */
export async function checkTargetFacts(target: string, t: Transport, o: TargetCheckOptions): Promise<CheckResult[]> {
  const run = (argv: string[]) => t.exec(argv, { quiet: true, env: o.env, timeoutMs: o.timeoutMs, signal: o.signal });
  const results: CheckResult[] = [];

  try {
    const df = await run(dfArgv(o.diskPaths));
    if (df.code !== 0) {
      results.push(fail(target, 'disk', `df failed (${exitText(df)}): ${firstLine(df.stderr)}`));
    } else {
      for (const d of parseDf(df.stdout, o.diskPaths)) {
        const detail = `${d.path}: ${fmtBytes(d.availableBytes)} free of ${fmtBytes(d.totalBytes)} (${d.freePercent.toFixed(1)}%)`;
        const min = o.minFreeDisk;
        const [have, need] = min.kind === 'percent' ? [d.freePercent, min.percent] : [d.availableBytes, min.bytes];
        const needText = min.kind === 'percent' ? `${min.percent}%` : fmtBytes(min.bytes);
        const enough = have >= need;
        // Within half again of the minimum: still passes, but the next deploy may not.
        const tight = have < need * 1.5;
        if (!enough) results.push(fail(target, 'disk', `${detail}; needs at least ${needText}`));
        else if (tight) results.push(warn(target, 'disk', `${detail}; close to the minimum of ${needText}`));
        else results.push(pass(target, 'disk', detail));
      }
    }
  } catch (err) {
    results.push(fail(target, 'disk', errorMessage(err)));
  }

  if (o.docker !== false && o.engine) {
    results.push(await checkEngineVersion(target, o.engine, o.docker));
  } else if (o.docker !== false) {
    const tries = [{ label: 'docker engine', argv: dockerServerVersionArgv() }];
    results.push(await checkVersion(target, 'docker', tries, o.docker, run));
  }
  if (o.compose !== false) {
    const candidates = o.composeCommand ? [o.composeCommand] : COMPOSE_CANDIDATES;
    const tries = candidates.map((c) => ({ label: c.join(' '), argv: composeVersionArgv(c) }));
    results.push(await checkVersion(target, 'compose', tries, o.compose, run));
  }
  return results;
}

/** The engine's version through the Engine API, against the rule; an unreachable engine fails naming the way. */
async function checkEngineVersion(
  target: string,
  engine: NonNullable<TargetCheckOptions['engine']>,
  rule: VersionConstraint,
): Promise<CheckResult> {
  try {
    const version = await engine.version();
    return satisfies(version, rule)
      ? pass(target, 'docker', `docker engine ${version} (${rule.raw})`)
      : fail(target, 'docker', `docker engine ${version} does not satisfy ${rule.raw}`);
  } catch (err) {
    return fail(target, 'docker', `${engine.label}: ${errorMessage(err)}`);
  }
}

type Run = (argv: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

/** Try each command in turn; the first that answers gives the version. */
async function checkVersion(
  target: string,
  check: string,
  tries: { label: string; argv: string[] }[],
  rule: VersionConstraint,
  run: Run,
): Promise<CheckResult> {
  const tried: string[] = [];
  for (const { label, argv } of tries) {
    try {
      const r = await run(argv);
      const version = r.stdout.trim().split('\n')[0]?.trim() ?? '';
      if (r.code === 0 && version !== '') {
        return satisfies(version, rule)
          ? pass(target, check, `${label} ${version} (${rule.raw})`)
          : fail(target, check, `${label} ${version} does not satisfy ${rule.raw}`);
      }
      tried.push(`${label}: ${firstLine(r.stderr) || exitText(r)}`);
    } catch (err) {
      tried.push(`${label}: ${errorMessage(err)}`);
    }
  }
  const hint =
    check === 'compose' ? '; choose the command with compose.command, or skip with checks.compose: false' : '';
  return fail(target, check, `no usable ${check} found (${tried.join('; ')})${hint}`);
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.slice(0, 200) ?? '';
}
