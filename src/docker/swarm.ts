/**
 * Swarm calls of the Engine API (API 1.41): the node's swarm state (GET /info), services (create, inspect, update —
 * also `rollback=previous` —, remove), their tasks, and secrets. Answers are mapped by swarm-parse.ts to the small
 * shapes of swarm-types.ts.
 */
import type { Logger } from '../core/log-types.js';
import { isNotFound } from './errors.js';
import type { DockerHttp } from './http.js';
import { parseNode, parseSecret, parseService, parseSwarmInfo, parseTask } from './swarm-parse.js';
import type { SwarmInfo, SwarmNode, SwarmSecret, SwarmService, SwarmServiceSpec, SwarmTask } from './swarm-types.js';
import type { CallOptions, RegistryAuth } from './types.js';
import { filtersJson, labelFilter, pathRef, registryAuthHeader } from './wire.js';

/** The X-Registry-Auth header of a create or update (so that every node can pull), registered for masking. */
function authHeaders(logger: Logger, auth: RegistryAuth | undefined): Record<string, string> {
  if (!auth) return {};
  const header = registryAuthHeader(auth);
  if (auth.password) logger.addSecret(auth.password);
  logger.addSecret(header);
  return { 'x-registry-auth': header };
}

/** GET /info → the node's swarm state. */
export async function swarmInfo(http: DockerHttp, opts?: CallOptions): Promise<SwarmInfo> {
  return parseSwarmInfo(await http.json<unknown>({ method: 'GET', path: '/info' }, opts));
}

/** GET /services/{name or id}; undefined when there is no such service. */
export async function inspectService(
  http: DockerHttp,
  ref: string,
  opts?: CallOptions,
): Promise<SwarmService | undefined> {
  try {
    const raw = await http.json<unknown>({ method: 'GET', path: `/services/${pathRef(ref, 'service')}` }, opts);
    return parseService(raw);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** GET /services with all of `labels`. */
export async function listServices(
  http: DockerHttp,
  labels: Record<string, string>,
  opts?: CallOptions,
): Promise<SwarmService[]> {
  const filters = filtersJson({ label: labelFilter(labels) });
  const raw = await http.json<unknown>({ method: 'GET', path: '/services', query: { filters } }, opts);
  return (Array.isArray(raw) ? raw : []).map(parseService);
}

/** POST /services/create → the new service's id. */
export async function createService(
  http: DockerHttp,
  logger: Logger,
  spec: SwarmServiceSpec,
  opts: CallOptions & { auth?: RegistryAuth } = {},
): Promise<string> {
  const created = await http.json<{ ID?: string; Warning?: string }>(
    {
      method: 'POST',
      path: '/services/create',
      body: spec,
      headers: authHeaders(logger, opts.auth),
      context: `creating service ${spec.Name}`,
    },
    opts,
  );
  if (created?.Warning) logger.warn(`docker: creating service ${spec.Name}: ${created.Warning}`);
  if (!created?.ID) throw new Error(`Docker created service ${spec.Name} but returned no id`);
  return created.ID;
}

/**
 * POST /services/{id}/update?version=… with the whole spec; `rollback: true` asks Swarm to go back to the service's
 * PreviousSpec (the spec sent is then the current one, as the docker CLI sends it). Returns Docker's warnings.
 */
export async function updateService(
  http: DockerHttp,
  logger: Logger,
  id: string,
  version: number,
  spec: SwarmServiceSpec,
  opts: CallOptions & { auth?: RegistryAuth; rollback?: boolean } = {},
): Promise<string[]> {
  const answer = await http.json<{ Warnings?: string[] | null }>(
    {
      method: 'POST',
      path: `/services/${pathRef(id, 'service')}/update`,
      query: { version, rollback: opts.rollback ? 'previous' : undefined },
      body: spec,
      headers: authHeaders(logger, opts.auth),
      context: `${opts.rollback ? 'rolling back' : 'updating'} service ${spec.Name}`,
    },
    opts,
  );
  const warnings = answer?.Warnings ?? [];
  for (const w of warnings) logger.warn(`docker: service ${spec.Name}: ${w}`);
  return warnings;
}

/** DELETE /services/{id}. */
export async function removeService(http: DockerHttp, id: string, opts?: CallOptions): Promise<void> {
  await http.send(
    { method: 'DELETE', path: `/services/${pathRef(id, 'service')}`, context: `removing service ${id}` },
    opts,
  );
}

/** GET /tasks of one service (every task Swarm still keeps: running ones and its recent history). */
export async function listTasks(http: DockerHttp, serviceId: string, opts?: CallOptions): Promise<SwarmTask[]> {
  const filters = filtersJson({ service: [serviceId] });
  const raw = await http.json<unknown>({ method: 'GET', path: '/tasks', query: { filters } }, opts);
  return (Array.isArray(raw) ? raw : []).map(parseTask);
}

/** GET /nodes: every node of the swarm (managers only). */
export async function listNodes(http: DockerHttp, opts?: CallOptions): Promise<SwarmNode[]> {
  const raw = await http.json<unknown>({ method: 'GET', path: '/nodes' }, opts);
  return (Array.isArray(raw) ? raw : []).map(parseNode);
}

/** GET /secrets with all of `labels`. */
export async function listSecrets(
  http: DockerHttp,
  labels: Record<string, string>,
  opts?: CallOptions,
): Promise<SwarmSecret[]> {
  const filters = filtersJson({ label: labelFilter(labels) });
  const raw = await http.json<unknown>({ method: 'GET', path: '/secrets', query: { filters } }, opts);
  return (Array.isArray(raw) ? raw : []).map(parseSecret);
}

/** POST /secrets/create with the value (sent base64, as Docker wants it) → the secret's id. */
export async function createSecret(
  http: DockerHttp,
  name: string,
  value: string,
  labels: Record<string, string>,
  opts?: CallOptions,
): Promise<string> {
  const created = await http.json<{ ID?: string }>(
    {
      method: 'POST',
      path: '/secrets/create',
      body: { Name: name, Labels: labels, Data: Buffer.from(value, 'utf8').toString('base64') },
      context: `creating secret ${name}`,
    },
    opts,
  );
  if (!created?.ID) throw new Error(`Docker created secret ${name} but returned no id`);
  return created.ID;
}

/** DELETE /secrets/{id}. Docker refuses (400/409) one a service still uses. */
export async function removeSecret(http: DockerHttp, id: string, opts?: CallOptions): Promise<void> {
  await http.send(
    { method: 'DELETE', path: `/secrets/${pathRef(id, 'secret')}`, context: `removing secret ${id}` },
    opts,
  );
}
