import {
  LABEL,
  acceptsTcp,
  ownerLabels,
  ownerOf,
  portOf
} from "./chunk-EJKV34LF.js";
import {
  hostPortOf,
  isPlaceholder
} from "./chunk-FAX57M2F.js";
import {
  probeOf
} from "./chunk-TSVKQNYQ.js";

// src/deploy/takeover.ts
async function acceptsConnections(t, address) {
  const at = hostPortOf(address);
  return at === void 0 || acceptsTcp(t, at.host, at.port);
}
async function upstreamBefore(d) {
  if (!d.proxy) return void 0;
  const { text, file } = await d.proxy.read();
  await d.proxy.assertWritable();
  const all = await d.docker.listContainers({ all: true, labels: ownerLabels(ownerOf(d)) });
  const ours = new Set(all.flatMap((c) => portOf(c.labels) === void 0 ? [] : [`127.0.0.1:${portOf(c.labels)}`]));
  const others = file.servers.filter((s) => !isPlaceholder(s) && !ours.has(s.address));
  const foreign = [];
  for (const s of others) {
    if (await acceptsConnections(probeOf(d.target), s.address)) foreign.push(s);
    else
      d.log.info(
        `${d.target.name}/${d.name}: the upstream lists ${s.address}, where nothing accepts connections: it serves nothing, so the first switch drops it`
      );
  }
  if (foreign.length > d.service.replicas) {
    d.log.warn(
      `${d.target.name}/${d.name}: ${foreign.length} servers serve now and the service runs ${d.service.replicas} replica(s): capacity drops after the switch unless services.${d.name}.replicas is raised`
    );
  }
  if (foreign.length > 0) {
    const releases = new Set(all.map((c) => c.labels[LABEL.release]));
    const what = releases.size === 0 ? "a site this toolkit has not deployed yet" : "servers this toolkit did not start";
    d.log.info(
      `${d.target.name}/${d.name}: the upstream serves ${foreign.map((s) => s.address).join(", ")} (${what}); they keep serving until the new release is healthy and switched in`
    );
  }
  const serving = new Set(file.servers.filter((s) => !isPlaceholder(s)).map((s) => s.address));
  return { text, foreign, serving };
}

export {
  acceptsConnections,
  upstreamBefore
};
