import { UserError } from '../../core/errors.js';
import type { ContainerSpec } from '../../docker/types.js';
import { atHost } from '../../proxy/host-share.js';
import type { UpstreamServer } from '../../proxy/upstream-file.js';
import { acceptsTcp } from '../../transports/tcp-probe.js';
import type { ContainerTemplate } from '../compose/template.js';
import { probeOf } from '../fleet/balancer.js';
import { type GateSubject, waitHealthy } from '../health.js';
import type { ReleaseReplica } from '../journal.js';
import type { ServiceSite } from '../types.js';
import type { EngineApi } from './api.js';
import { containerEnv, readEnvFile, type ServiceEnvInputs } from './env.js';
import { containerName, LABEL, ownerOf, portOf, replicaLabels } from './labels.js';

/**
 * Everything one service's deploy on one target needs: its site (config, target, service, proxy, clock, log), the
 * target's Engine API, the release id and the image reference its new containers run.
 */
export interface ServiceDeploy extends ServiceSite, ServiceEnvInputs {
  /** The target's Engine API (`target.docker`, known present). */
  docker: EngineApi;
  release: string;
  image: string;
  /**
   * A compose service's replicas: what every container shares, from the resolved compose file (compose/template.ts),
   * in place of the service's container keys. The runbook config still gives replicas, host-ports and health.
   */
  template?: ContainerTemplate;
  /**
   * Why a compose service's replicas cannot be created now (its file does not resolve at this release): kept
   * containers may still start, creating a new one throws this.
   */
  unresolved?: Error;
}

/** `d` with its env-file read from the target (when the service has one): before anything on the target changes. */
export async function withEnvFile(d: ServiceDeploy): Promise<ServiceDeploy> {
  const path = d.service['env-file'];
  if (path === undefined || d.fileEnv !== undefined) return d;
  return { ...d, fileEnv: await readEnvFile(d.target.transport, path, d.log) };
}

/** A running (or stopped) replica the driver manages. */
export interface Replica {
  id: string;
  name: string;
  slot: number;
  port?: number;
  release: string;
}

export function toJournal(target: string, r: Replica): ReleaseReplica {
  return { target, id: r.id, name: r.name, port: r.port };
}

export function replicaFromLabels(id: string, name: string, labels: Record<string, string>): Replica {
  return {
    id,
    name,
    slot: Number(labels[LABEL.slot] ?? 0),
    port: portOf(labels),
    release: labels[LABEL.release] ?? '',
  };
}

/**
 * The container of one replica of a compose service: the resolved template, the port (in port-env with host
 * networking, published on 127.0.0.1 otherwise) and the toolkit's labels.
 */
function composedSpec(d: ServiceDeploy, t: ContainerTemplate, slot: number, port: number | undefined): ContainerSpec {
  const s = d.service;
  const owner = ownerOf(d);
  const host = t.networkMode === 'host';
  return {
    ...t,
    name: containerName(owner, d.release, slot),
    image: d.image,
    env: host && port !== undefined ? { ...t.env, [s['port-env']]: String(port) } : t.env,
    labels: { ...(t.labels ?? {}), ...replicaLabels(owner, d.release, slot, port) },
    portBindings:
      !host && port !== undefined && s.port !== undefined
        ? [{ containerPort: s.port, hostPort: port, hostIp: '127.0.0.1' }]
        : undefined,
    stopTimeoutSeconds: t.stopTimeoutSeconds ?? Math.ceil(s['stop-grace'] / 1000),
  };
}

/** The container of one replica: the service's config, its secret and env-file values, the toolkit's labels. */
export function spec(d: ServiceDeploy, slot: number, port: number | undefined): ContainerSpec {
  if (d.unresolved) throw d.unresolved;
  if (d.template) return composedSpec(d, d.template, slot, port);
  const s = d.service;
  const owner = ownerOf(d);
  return {
    name: containerName(owner, d.release, slot),
    image: d.image,
    env: containerEnv(`${d.target.name}/${d.name}`, s, d, port),
    // The toolkit's labels last: they tie the container to its release (the schema refuses io.runbook.* anyway).
    labels: { ...(s.labels ?? {}), ...replicaLabels(owner, d.release, slot, port) },
    cmd: s.command,
    networkMode: s.network === 'bridge' && s.networks?.[0] !== undefined ? s.networks[0] : s.network,
    // On its own networks a replica answers to the service's name, as a compose service's containers do.
    extraNetworks: s.network === 'bridge' && s.networks && s.networks.length > 1 ? s.networks.slice(1) : undefined,
    networkAliases: s.network === 'bridge' && s.networks ? [d.name] : undefined,
    portBindings:
      s.network === 'bridge' && port !== undefined && s.port !== undefined
        ? [{ containerPort: s.port, hostPort: port, hostIp: '127.0.0.1' }]
        : undefined,
    restartPolicy: s.restart.name,
    restartMaxRetries: s.restart.maxRetries,
    stopTimeoutSeconds: Math.ceil(s['stop-grace'] / 1000),
    binds: s.volumes?.map((v) => `${v.source}:${v.target}${v.readOnly ? ':ro' : ''}`),
    extraHosts: s['extra-hosts'],
    user: s.user,
    memoryBytes: s.memory,
    nanoCpus: s.cpus === undefined ? undefined : Math.round(s.cpus * 1e9),
    log: s.log,
  };
}

/** Create and start one replica of the new release. */
export async function startReplica(d: ServiceDeploy, slot: number, port: number | undefined): Promise<Replica> {
  const s = spec(d, slot, port);
  const id = await d.docker.createContainer(s);
  try {
    for (const network of s.extraNetworks ?? []) await d.docker.connectNetwork(network, id, s.networkAliases);
    await d.docker.startContainer(id);
  } catch (err) {
    await d.docker.removeContainer(id, { force: true }).catch(() => undefined);
    throw err;
  }
  d.log.info(`${d.target.name}/${d.name}: started ${s.name}${port === undefined ? '' : ` on port ${port}`}`);
  return { id, name: s.name, slot, port, release: d.release };
}

/**
 * The gate's view of a replica: its HTTP probe port and the port that must accept connections are its host port (the
 * target reaches it on 127.0.0.1), its state from the Engine API.
 */
/** Behind a load balancer on another host: `, probed from lb1 at 10.0.0.5:18001` (where its gate connects). */
function probedFrom(d: ServiceDeploy, port: number): string {
  const seat = d.target.balancer;
  if (!seat || seat.target.name === d.target.name) return '';
  return `, probed from ${seat.target.name} at ${atHost({ address: `127.0.0.1:${port}` }, seat.address).address}`;
}

export function subject(d: ServiceDeploy, r: Replica): GateSubject {
  return {
    label: `${d.target.name}/${d.name}#${r.slot}${r.port === undefined ? '' : ` (port ${r.port}${probedFrom(d, r.port)})`}`,
    host: '127.0.0.1',
    port: r.port,
    acceptPort: r.port,
    image: d.image,
    state: async () => {
      const info = await d.docker.inspectContainer(r.id);
      return {
        running: info.state.running,
        exitCode: info.state.exitCode,
        health: info.state.health?.status,
        startedAt: info.state.startedAt,
      };
    },
    logsTail: () => d.docker.containerLogs(r.id, { tail: 20 }),
  };
}

/**
 * The health gate for a batch of new replicas (in parallel): the service's health config, or without one
 * RUNNING_GATE (each replica keeps running, and accepts connections on its host port, for 3 s). Whatever the mode, a
 * replica with a host port passes only once that port accepts a connection. The first replica to fail ends the batch.
 */
export async function gate(d: ServiceDeploy, batch: readonly Replica[]): Promise<void> {
  // The first replica to fail ends the batch: its siblings stop probing before the undo touches their containers.
  const batchEnd = new AbortController();
  const signal = d.signal ? AbortSignal.any([d.signal, batchEnd.signal]) : batchEnd.signal;
  const ctx = { transport: probeOf(d.target), clock: d.clock, log: d.log, signal };
  try {
    await Promise.all(
      batch.map((r) =>
        waitHealthy(ctx, d.service.health, subject(d, r)).catch((err: unknown) => {
          batchEnd.abort(err);
          throw err;
        }),
      ),
    );
  } finally {
    batchEnd.abort();
  }
}

/**
 * The health gate for replicas already running (a standby, a paused canary): healthy now, no stable period to sit
 * out. Throws as gate does.
 */
export function gateNow(d: ServiceDeploy, batch: readonly Replica[]): Promise<void> {
  const health = d.service.health;
  return gate({ ...d, service: { ...d.service, health: health && { ...health, stable: 0 } } }, batch);
}

/** Stop a replica (SIGTERM, then SIGKILL after the grace time) but keep it for instant rollback. */
export async function stopReplica(d: ServiceDeploy, r: Replica): Promise<void> {
  await d.docker.stopContainer(r.id, d.template?.stopTimeoutSeconds ?? Math.ceil(d.service['stop-grace'] / 1000));
  d.log.info(`${d.target.name}/${d.name}: stopped ${r.name} (kept for rollback)`);
}

export async function removeReplicas(d: ServiceDeploy, rs: readonly Replica[]): Promise<void> {
  for (const r of rs) {
    await d.docker.removeContainer(r.id, { force: true }).catch((err: Error) => {
      d.log.warn(`could not remove ${r.name}: ${err.message}`);
    });
  }
}

/** Is something already listening on this port of the target (another app, another engine's container)? */
export function portBusy(d: ServiceDeploy, port: number): Promise<boolean> {
  return acceptsTcp(d.target.transport, '127.0.0.1', port);
}

/**
 * The next host port for a new replica: the lowest port of `host-ports` that no replica of ours holds and nothing
 * else on the target listens on. Undefined when the service has no host ports.
 */
export async function allocatePort(d: ServiceDeploy, used: Set<number>): Promise<number | undefined> {
  const range = d.service['host-ports'];
  if (!range) return undefined;
  for (let port = range[0]; port <= range[1]; port++) {
    if (used.has(port)) continue;
    if (await portBusy(d, port)) {
      d.log.info(`${d.target.name}: port ${port} is taken by something else; skipping it`);
      continue;
    }
    used.add(port);
    return port;
  }
  throw new UserError(
    `${d.target.name}/${d.name}: no free port in host-ports ${range[0]}-${range[1]} (ours: ${[...used].join(', ') || 'none'}); ` +
      'the range needs at least replicas + max-surge free ports',
  );
}

/**
 * allocatePort, and when the range has no free port left, the ports of stopped replicas kept for rollback (`spare`,
 * still marked used): they are released for the new replica and the log says so (`why`: whose ports they are).
 * Throws allocatePort's error when there is no spare port either.
 */
export async function allocatePortOrReuse(
  d: ServiceDeploy,
  used: Set<number>,
  spare: readonly Replica[],
  why: string,
): Promise<number | undefined> {
  try {
    return await allocatePort(d, used);
  } catch (err) {
    const ports = spare.flatMap((r) => (r.port !== undefined && used.has(r.port) ? [r.port] : []));
    if (ports.length === 0) throw err;
    for (const p of ports) used.delete(p);
    d.log.info(`${d.target.name}/${d.name}: host-ports has no port beyond ${why}; reusing ${ports.join(', ')}`);
    return allocatePort(d, used);
  }
}

/** The upstream servers of replicas (those with a host port): `127.0.0.1:<port>`, with the file's parameters. */
export function upstreamOf(rs: readonly Replica[]): UpstreamServer[] {
  return rs.filter((r) => r.port !== undefined).map((r) => ({ address: `127.0.0.1:${r.port}` }));
}
