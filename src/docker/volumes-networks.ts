/**
 * Volume and network calls: whether one exists, making one when missing (an existing one is left as it is), and
 * joining a container to a network. Each takes the client's DockerHttp (DockerClient delegates here).
 */
import type { DockerHttp } from './http.js';
import type { CallOptions } from './types.js';

/** Join container `id` to `network`, answering to `aliases` there (POST /networks/{network}/connect). */
export async function connectNetwork(
  http: DockerHttp,
  network: string,
  id: string,
  aliases: string[] = [],
  opts?: CallOptions,
): Promise<void> {
  await http.send(
    {
      method: 'POST',
      path: `/networks/${encodeURIComponent(network)}/connect`,
      body: { Container: id, EndpointConfig: aliases.length > 0 ? { Aliases: aliases } : {} },
      context: `connecting ${id.slice(0, 12)} to network ${network}`,
    },
    opts,
  );
}

/** Whether the named volume exists (GET /volumes/{name}). */
export async function hasVolume(http: DockerHttp, name: string, opts?: CallOptions): Promise<boolean> {
  const path = `/volumes/${encodeURIComponent(name)}`;
  return (await http.send({ method: 'GET', path, okStatuses: [404] }, opts)) !== 404;
}

/** Whether the network exists (GET /networks/{name}). */
export async function hasNetwork(http: DockerHttp, name: string, opts?: CallOptions): Promise<boolean> {
  const path = `/networks/${encodeURIComponent(name)}`;
  return (await http.send({ method: 'GET', path, okStatuses: [404] }, opts)) !== 404;
}

/**
 * The named volume `name`, created (local driver, with `labels`) when it does not exist; an existing one is left as
 * it is, labels and all. Returns whether it was created. GET /volumes/{name}, POST /volumes/create.
 */
export async function ensureVolume(
  http: DockerHttp,
  name: string,
  labels: Record<string, string>,
  opts?: CallOptions,
): Promise<boolean> {
  const path = `/volumes/${encodeURIComponent(name)}`;
  if ((await http.send({ method: 'GET', path, okStatuses: [404] }, opts)) !== 404) return false;
  await http.json(
    {
      method: 'POST',
      path: '/volumes/create',
      body: { Name: name, Labels: labels },
      context: `creating volume ${name}`,
    },
    opts,
  );
  return true;
}

/**
 * The network `name`, created (bridge driver, with `labels`) when it does not exist; an existing one is left as it
 * is. Returns whether it was created. GET /networks/{name}, POST /networks/create.
 */
export async function ensureNetwork(
  http: DockerHttp,
  name: string,
  labels: Record<string, string>,
  opts?: CallOptions,
): Promise<boolean> {
  if (await hasNetwork(http, name, opts)) return false;
  await http.json(
    {
      method: 'POST',
      path: '/networks/create',
      body: { Name: name, Labels: labels, CheckDuplicate: true },
      context: `creating network ${name}`,
    },
    opts,
  );
  return true;
}
