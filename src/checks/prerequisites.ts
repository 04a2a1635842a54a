/**
 * Deploy prerequisites on one shell target (ssh or local), checked before anything changes: the state directory
 * (primary target), nginx as configured, the SSH channels deploy opens, and the compose file. Every check runs;
 * none stops the others; none changes the host (a probe file is written and removed at once). `prerequisitePlan`
 * lists the same commands for the dry run.
 */

import { composeConfig, composeConfigCheck } from '../commands/compose.js';
import { dockerObjectExistsArgv } from '../commands/docker-cli.js';
import {
  ephemeralRangeArgv,
  parseEphemeralRange,
  parseStateDirProbe,
  socketAccessArgv,
  stateDirProbeArgv,
} from '../commands/prerequisites.js';
import type { ComposeConfig, NginxProxyConfig } from '../config/schema.js';
import { errorMessage } from '../core/errors.js';
import { composeProjectHint } from '../deploy/compose/exec.js';
import { type ComposeReplicaService, composeMismatch } from '../deploy/compose/replicas.js';
import { composeServiceOf } from '../deploy/compose/template.js';
import { exitText } from '../transports/exit-status.js';
import { configFileAccess, notWritable } from '../transports/files.js';
import type { Transport } from '../transports/types.js';
import { checkAccessLog } from './canary-log.js';
import { type ChannelOpener, checkSocketForwarding, checkTcpForwarding } from './forwarding.js';
import { failureText, type HostRun, hostRun } from './host-run.js';
import { checkNginx, type NginxCandidateCheck, nginxPlan } from './nginx.js';
import { type CheckResult, fail, pass, warn } from './types.js';

/** The value of compose.version-env while the compose file is resolved (no version is being deployed). */
export const COMPOSE_CHECK_VERSION = 'pre-deploy-check';

export interface PrerequisiteOptions {
  /** The primary target only: where the journal and the lock live (session paths). */
  stateDir?: { dir: string; journal: string };
  /** strategy.proxy.nginx, when deploy drives nginx on the targets. */
  nginx?: NginxProxyConfig;
  /** The nginx upstream-layout candidate test, when available (see NginxCandidateCheck). */
  nginxCandidate?: NginxCandidateCheck;
  /** The compose driver's section: the compose file must resolve. */
  compose?: ComposeConfig;
  /**
   * Rolling with the compose driver: the services (with the runbook's `network`) whose replicas are created from
   * the resolved compose file; each must be one rolling can carry (compose/template.ts).
   */
  composeReplicas?: Record<string, ComposeReplicaService>;
  /**
   * strategy canary: the access log its gates read (in the runbook_canary format), and the route file it writes at
   * http level (the deploy user must be able to write it).
   */
  canary?: { accessLog?: string; routeFile?: string };
  /** The engine driver's `host-ports` ranges by service: none may lie in the host's ephemeral port range. */
  hostPorts?: Record<string, [number, number]>;
  /** SSH targets: the channels deploy opens besides exec. */
  ssh?: {
    user: string;
    /** sshd's port (the direct-tcpip probe goes to 127.0.0.1 on it). */
    port: number;
    /** What deploy needs direct-tcpip for (e.g. "HTTP health probes"); undefined: not needed (a refusal warns). */
    tcpNeededFor?: string;
    /** The engine driver's Docker socket (streamlocal); undefined with the compose driver. */
    dockerSocket?: string;
  };
  /** The target's configured environment, given to every command. */
  env?: Readonly<Record<string, string>>;
  /** Per command and per channel, in milliseconds. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** One line of the dry run: a command as the host would receive it, or what else would be done. */
export type PlanItem = { argv: string[]; cwd?: string; env?: Record<string, string> } | { note: string };

/** Every prerequisite check on one reachable target. `t` opens SSH channels when it is an SSH transport. */
export async function checkPrerequisites(
  target: string,
  t: Transport & Partial<Pick<ChannelOpener, 'openUnixSocket'>>,
  o: PrerequisiteOptions,
): Promise<CheckResult[]> {
  const run = hostRun(t, o);
  const guarded = (check: string, fn: () => Promise<CheckResult[]>): Promise<CheckResult[]> =>
    fn().catch((err: unknown) => [fail(target, check, errorMessage(err))]);
  const { stateDir, nginx, ssh, compose } = o;
  const groups = await Promise.all([
    stateDir ? guarded('state dir', async () => [await checkStateDir(target, run, stateDir)]) : [],
    nginx ? guarded('nginx', () => checkNginx(target, t, run, nginx, o.nginxCandidate)) : [],
    ssh
      ? guarded('ssh forwarding', async () => {
          const channel = { ...ssh, timeoutMs: o.timeoutMs };
          const tcp = checkTcpForwarding(target, t, { ...channel, neededFor: ssh.tcpNeededFor });
          const socket = ssh.dockerSocket
            ? [await checkSocketForwarding(target, t, run, { ...channel, socket: ssh.dockerSocket })]
            : [];
          return [await tcp, ...socket];
        })
      : [],
    compose ? guarded('compose file', async () => [await checkComposeFile(target, run, compose)]) : [],
    compose && o.composeReplicas
      ? guarded('compose replicas', () => checkComposeReplicas(target, run, compose, o.composeReplicas ?? {}))
      : [],
    o.canary?.accessLog
      ? guarded('canary access log', async () => [await checkAccessLog(t, o.canary?.accessLog as string)])
      : [],
    o.canary?.routeFile
      ? guarded('canary route', async () => [await checkRouteFile(target, t, o.canary?.routeFile as string)])
      : [],
    o.hostPorts && Object.keys(o.hostPorts).length > 0
      ? guarded('host ports', async () => [await checkHostPorts(target, run, o.hostPorts ?? {})])
      : [],
  ]);
  return groups.flat();
}

/** The canary's route file (written at http level by each canary): the deploy user can write it, or create it. */
async function checkRouteFile(target: string, t: Transport, path: string): Promise<CheckResult> {
  if ((await configFileAccess(t, path)) === undefined)
    return fail(target, 'canary route', notWritable(t, path).message);
  return pass(target, 'canary route', `${path} can be written (nginx must include it at http level)`);
}

/**
 * The state directory: writable by the deploy user, or creatable by it (deploy creates it with `mkdir -p`); the
 * journal in it readable. Nothing is left behind.
 */
async function checkStateDir(target: string, run: HostRun, s: { dir: string; journal: string }): Promise<CheckResult> {
  const check = 'state dir';
  const r = await run(stateDirProbeArgv(s.dir, s.journal));
  if (r.code !== 0) return fail(target, check, `cannot look at ${s.dir}: ${failureText(r)}`);
  const p = parseStateDirProbe(r.stdout);
  const fix = `make it writable by the deploy user, or set the environment's state-dir`;
  if (p.state === 'not-a-directory')
    return fail(target, check, `${p.dir} is not a directory, so ${s.dir} cannot be one`);
  if (!p.writable) {
    const why = failureText(r);
    return p.state === 'exists'
      ? fail(target, check, `${s.dir} (journal and lock) is not writable by the deploy user (${why}): ${fix}`)
      : fail(
          target,
          check,
          `${s.dir} (journal and lock) does not exist and cannot be created in ${p.dir} (${why}): ${fix}`,
        );
  }
  if (p.unreadable) return fail(target, check, `the journal ${p.unreadable} cannot be read by the deploy user: ${fix}`);
  return p.state === 'exists'
    ? pass(target, check, `${s.dir} is writable (probe file written and removed)`)
    : pass(
        target,
        check,
        `${s.dir} does not exist yet; deploy can create it in ${p.dir} (probe file written and removed)`,
      );
}

/**
 * The host ports replicas get must lie outside the range the kernel hands to outgoing connections: a port a client
 * socket holds there cannot be bound, so a replica would fail to start at random (connect probes do not see it).
 */
async function checkHostPorts(
  target: string,
  run: HostRun,
  ranges: Record<string, [number, number]>,
): Promise<CheckResult> {
  const check = 'host ports';
  const r = await run(ephemeralRangeArgv());
  const eph = r.code === 0 ? parseEphemeralRange(r.stdout) : undefined;
  const all = Object.entries(ranges)
    .map(([name, [lo, hi]]) => `${name} ${lo}-${hi}`)
    .join(', ');
  if (!eph) return warn(target, check, `${all}; the host's ephemeral port range could not be read (${failureText(r)})`);
  const [elo, ehi] = eph;
  const inside = Object.entries(ranges).filter(([, [lo, hi]]) => lo <= ehi && hi >= elo);
  if (inside.length === 0) return pass(target, check, `${all}: outside the ephemeral range ${elo}-${ehi}`);
  return warn(
    target,
    check,
    `${inside.map(([n, [lo, hi]]) => `services.${n}.host-ports ${lo}-${hi}`).join(', ')} overlap the host's ephemeral port range ${elo}-${ehi} (net.ipv4.ip_local_port_range): a port an outgoing connection holds cannot be bound, and a replica fails to start; choose ports below ${elo}`,
  );
}

/** `compose config -q` in compose.directory, with the target's environment, as deploy runs compose there. */
async function checkComposeFile(target: string, run: HostRun, c: ComposeConfig): Promise<CheckResult> {
  const check = 'compose file';
  const argv = composeConfigCheck(c);
  const r = await run(argv, { cwd: c.directory, env: { [c['version-env']]: COMPOSE_CHECK_VERSION } });
  if (r.code === 0) return pass(target, check, `${argv.join(' ')} resolves in ${c.directory}`);
  const lines = r.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/variable is not set/i.test(l));
  return fail(
    target,
    check,
    `${argv.join(' ')} in ${c.directory} fails (${exitText(r)}): ${lines.slice(0, 3).join(' ').slice(0, 400) || failureText(r)}`,
  );
}

/**
 * Rolling with the compose driver: each service as `compose config` resolves it can be created replica by replica
 * (no key rolling cannot carry, the runbook's network as the file's), as deploy will read it. The resolved text holds
 * the app's secrets: it is parsed, never printed.
 */
async function checkComposeReplicas(
  target: string,
  run: HostRun,
  c: ComposeConfig,
  services: Record<string, ComposeReplicaService>,
): Promise<CheckResult[]> {
  const r = await run(composeConfig(c), { cwd: c.directory, env: { [c['version-env']]: COMPOSE_CHECK_VERSION } });
  // A file that does not resolve is reported by the compose file check.
  if (r.code !== 0) return [];
  const results: CheckResult[] = [];
  for (const [name, service] of Object.entries(services)) {
    results.push(await checkComposeService(target, run, r.stdout, c, name, service));
  }
  return results;
}

async function checkComposeService(
  target: string,
  run: HostRun,
  resolved: string,
  c: ComposeConfig,
  name: string,
  service: ComposeReplicaService,
): Promise<CheckResult> {
  const check = 'compose replicas';
  try {
    const svc = composeServiceOf(resolved, name, composeProjectHint(c));
    const mismatch = composeMismatch(name, service, svc);
    if (mismatch) return fail(target, check, mismatch);
    const external = [
      ...svc.volumes.filter((v) => v.external).map((v) => ['volume', v.name] as const),
      ...svc.networks.filter((n) => n.external).map((n) => ['network', n.name] as const),
    ];
    const missing: string[] = [];
    for (const [kind, objName] of external) {
      if ((await run(dockerObjectExistsArgv(kind, objName))).code !== 0) missing.push(`${kind} ${objName}`);
    }
    if (missing.length > 0) {
      return fail(
        target,
        check,
        `compose service ${name} uses external ${missing.join(', ')}, which ${missing.length > 1 ? 'do' : 'does'} not exist: create ${missing.length > 1 ? 'them' : 'it'} first, or remove external`,
      );
    }
    const carried = [
      `${Object.keys(svc.template.env ?? {}).length} environment variables`,
      ...(svc.volumes.length > 0 ? [`volumes ${svc.volumes.map((v) => v.name).join(', ')}`] : []),
      ...(svc.template.healthcheck
        ? [svc.template.healthcheck.test[0] === 'NONE' ? 'its healthcheck disabled' : 'its healthcheck']
        : []),
      ...(svc.dependsOn.length > 0 ? [`depends_on ${svc.dependsOn.join(', ')} (started, never recreated)`] : []),
    ];
    const replaced = svc.replaced.length > 0 ? `; replaced per replica: ${svc.replaced.join(', ')}` : '';
    return pass(target, check, `compose service ${name} → replicas with ${carried.join(', ')}${replaced}`);
  } catch (err) {
    return fail(target, check, errorMessage(err));
  }
}

/** The dry run of checkPrerequisites: the commands and channels, in order; no connection is opened. */
export function prerequisitePlan(o: PrerequisiteOptions): PlanItem[] {
  const items: PlanItem[] = [];
  if (o.stateDir) items.push({ argv: stateDirProbeArgv(o.stateDir.dir, o.stateDir.journal) });
  if (o.nginx) {
    items.push(...nginxPlan(o.nginx));
    if (o.nginxCandidate) items.push({ note: 'then: the nginx upstream candidate test' });
  }
  if (o.ssh) {
    items.push({ note: `SSH: open a direct-tcpip channel to 127.0.0.1:${o.ssh.port} and close it` });
    if (o.ssh.dockerSocket) {
      items.push({ argv: socketAccessArgv(o.ssh.dockerSocket) });
      items.push({ note: `SSH: open a streamlocal channel to ${o.ssh.dockerSocket} and close it` });
    }
  }
  if (o.compose) {
    const env = { [o.compose['version-env']]: COMPOSE_CHECK_VERSION };
    items.push({ argv: composeConfigCheck(o.compose), cwd: o.compose.directory, env });
    if (o.composeReplicas) items.push({ argv: composeConfig(o.compose), cwd: o.compose.directory, env });
  }
  if (o.hostPorts && Object.keys(o.hostPorts).length > 0) items.push({ argv: ephemeralRangeArgv() });
  return items;
}
