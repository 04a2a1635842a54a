/**
 * Taking over a running site: before a deploy changes the upstream it reads it once. The bytes are what a failed
 * deploy puts back (byte for byte); the servers in it that no container of ours answers on — the app a team ran by
 * hand, a compose service, a foreign container — keep serving until the new release is healthy and switched in.
 */
import { hostPortOf, isPlaceholder, type UpstreamServer } from '../proxy/upstream-file.js';
import { acceptsTcp } from '../transports/tcp-probe.js';
import type { Transport } from '../transports/types.js';
import { LABEL, ownerLabels, ownerOf, portOf } from './engine/labels.js';
import type { ServiceDeploy } from './engine/replicas.js';
import { probeOf } from './fleet/balancer.js';

/** The upstream as a deploy found it. */
export interface UpstreamBefore {
  /** The file's bytes (undefined: there was no file). */
  text: string | undefined;
  /** Primary servers no container of this service answers on, with their parameters as written. */
  foreign: UpstreamServer[];
  /** Every primary server address in the file (the placeholder excluded): what serves now. */
  serving: Set<string>;
}

/**
 * Does something accept a TCP connection on `address` (`host:port`, `[v6]:port`) as the target reaches it? Addresses
 * without a port (unix sockets, names nginx resolves itself) cannot be asked: they count as answering.
 */
export async function acceptsConnections(t: Transport, address: string): Promise<boolean> {
  const at = hostPortOf(address);
  return at === undefined || acceptsTcp(t, at.host, at.port);
}

/**
 * Read the upstream in front of `d` (undefined without a proxy): its bytes and its foreign servers. A server is ours
 * when its address is `127.0.0.1:<port>` of any container of this service (any release, running or not); a foreign
 * one where nothing accepts connections serves nothing and is not kept (the first switch drops it).
 * Throws UserError when the file's layout is unusable (before anything changed).
 */
export async function upstreamBefore(d: ServiceDeploy): Promise<UpstreamBefore | undefined> {
  if (!d.proxy) return undefined;
  const { text, file } = await d.proxy.read();
  // Known before a container starts: a deploy that could not switch would only start and remove them.
  await d.proxy.assertWritable();
  const all = await d.docker.listContainers({ all: true, labels: ownerLabels(ownerOf(d)) });
  const ours = new Set(all.flatMap((c) => (portOf(c.labels) === undefined ? [] : [`127.0.0.1:${portOf(c.labels)}`])));
  const others = file.servers.filter((s) => !isPlaceholder(s) && !ours.has(s.address));
  const foreign: UpstreamServer[] = [];
  for (const s of others) {
    if (await acceptsConnections(probeOf(d.target), s.address)) foreign.push(s);
    else
      d.log.info(
        `${d.target.name}/${d.name}: the upstream lists ${s.address}, where nothing accepts connections: it serves nothing, so the first switch drops it`,
      );
  }
  if (foreign.length > d.service.replicas) {
    d.log.warn(
      `${d.target.name}/${d.name}: ${foreign.length} servers serve now and the service runs ${d.service.replicas} replica(s): capacity drops after the switch unless services.${d.name}.replicas is raised`,
    );
  }
  if (foreign.length > 0) {
    const releases = new Set(all.map((c) => c.labels[LABEL.release]));
    const what =
      releases.size === 0 ? 'a site this toolkit has not deployed yet' : 'servers this toolkit did not start';
    d.log.info(
      `${d.target.name}/${d.name}: the upstream serves ${foreign.map((s) => s.address).join(', ')} (${what}); they keep serving until the new release is healthy and switched in`,
    );
  }
  const serving = new Set(file.servers.filter((s) => !isPlaceholder(s)).map((s) => s.address));
  return { text, foreign, serving };
}
