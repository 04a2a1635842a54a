/**
 * Container calls: create, start, stop, kill, rename, remove, list, inspect, wait. Each takes the client's DockerHttp
 * (DockerClient delegates here) and optional CallOptions.
 */
import type { Logger } from '../core/log-types.js';
import { isNotFound } from './errors.js';
import type { DockerHttp } from './http.js';
import { parseContainer, parseContainerSummary } from './parse.js';
import type { CallOptions, ContainerInfo, ContainerSpec, ContainerSummary } from './types.js';
import { createContainerBody, filtersJson, labelFilter, pathRef } from './wire.js';

/** Extra time over the stop grace period for Docker to kill and report back. */
const STOP_SLACK_MS = 30_000;

/** `/containers/{id}`, the id checked. */
export function containerPath(id: string): string {
  return `/containers/${pathRef(id, 'container id')}`;
}

/** POST /containers/create?name=… → the new container's id. */
export async function createContainer(
  http: DockerHttp,
  logger: Logger,
  spec: ContainerSpec,
  opts?: CallOptions,
): Promise<string> {
  const body = createContainerBody(spec);
  const created = await http.json<{ Id?: string; Warnings?: string[] | null }>(
    {
      method: 'POST',
      path: '/containers/create',
      query: { name: spec.name },
      body,
      context: `creating container ${spec.name}`,
    },
    opts,
  );
  for (const warning of created?.Warnings ?? []) logger.warn(`docker: creating ${spec.name}: ${warning}`);
  if (!created?.Id) throw new Error(`Docker created ${spec.name} but returned no id`);
  return created.Id;
}

/** Starting a running container is not an error (Docker answers 304). */
export async function startContainer(http: DockerHttp, id: string, opts?: CallOptions): Promise<void> {
  await http.send(
    { method: 'POST', path: `${containerPath(id)}/start`, okStatuses: [304], context: `starting ${id}` },
    opts,
  );
}

/**
 * SIGTERM (or the image's STOPSIGNAL), then SIGKILL after `graceSeconds`. Stopping a stopped container is not an
 * error. The deadline covers the grace period.
 */
export async function stopContainer(
  http: DockerHttp,
  id: string,
  graceSeconds: number,
  opts: CallOptions = {},
): Promise<void> {
  const t = Math.max(0, Math.floor(graceSeconds));
  await http.send(
    {
      method: 'POST',
      path: `${containerPath(id)}/stop`,
      query: { t },
      okStatuses: [304],
      context: `stopping ${id}`,
    },
    { ...opts, timeoutMs: opts.timeoutMs ?? t * 1000 + STOP_SLACK_MS },
  );
}

/** Docker answers 409 when the container is not running. */
export async function killContainer(http: DockerHttp, id: string, signal?: string, opts?: CallOptions): Promise<void> {
  await http.send(
    { method: 'POST', path: `${containerPath(id)}/kill`, query: { signal }, context: `killing ${id}` },
    opts,
  );
}

/** POST /containers/{id}/rename?name=… */
export async function renameContainer(http: DockerHttp, id: string, name: string, opts?: CallOptions): Promise<void> {
  await http.send(
    { method: 'POST', path: `${containerPath(id)}/rename`, query: { name }, context: `renaming ${id} to ${name}` },
    opts,
  );
}

/** `force` kills a running container first; `volumes` removes its anonymous volumes. */
export async function removeContainer(
  http: DockerHttp,
  id: string,
  opts: CallOptions & { force?: boolean; volumes?: boolean } = {},
): Promise<void> {
  await http.send(
    {
      method: 'DELETE',
      path: containerPath(id),
      query: { force: opts.force, v: opts.volumes },
      context: `removing container ${id}`,
    },
    opts,
  );
}

/** GET /containers/json; `labels` all must match (Docker's `label` filter). */
export async function listContainers(
  http: DockerHttp,
  opts: CallOptions & { all?: boolean; labels?: Record<string, string> } = {},
): Promise<ContainerSummary[]> {
  const filters = filtersJson({ label: labelFilter(opts.labels) });
  const raw = await http.json<unknown>(
    { method: 'GET', path: '/containers/json', query: { all: opts.all, filters } },
    opts,
  );
  return (Array.isArray(raw) ? raw : []).map(parseContainerSummary);
}

/** GET /containers/{id}/json; a missing container is a DockerApiError with isNotFound. */
export async function inspectContainer(http: DockerHttp, id: string, opts?: CallOptions): Promise<ContainerInfo> {
  return parseContainer(await http.json<unknown>({ method: 'GET', path: `${containerPath(id)}/json` }, opts));
}

/** inspectContainer, or undefined when there is no such container. */
export async function tryInspectContainer(
  http: DockerHttp,
  id: string,
  opts?: CallOptions,
): Promise<ContainerInfo | undefined> {
  try {
    return await inspectContainer(http, id, opts);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Block until the container stops (POST /containers/{id}/wait); its exit code. Long deadline. */
export async function waitContainer(http: DockerHttp, id: string, opts?: CallOptions): Promise<number> {
  const raw = await http.json<{ StatusCode?: number; Error?: { Message?: string } | null }>(
    {
      method: 'POST',
      path: `${containerPath(id)}/wait`,
      query: { condition: 'not-running' },
      long: true,
      context: `waiting for ${id}`,
    },
    opts,
  );
  return typeof raw?.StatusCode === 'number' ? raw.StatusCode : -1;
}
