import {
  candidateSample
} from "./chunk-NO3PKMBD.js";
import {
  NginxUpstream,
  atHost
} from "./chunk-FAX57M2F.js";
import {
  balancerHosts
} from "./chunk-TSVKQNYQ.js";
import {
  errorMessage
} from "./chunk-O2HJWNJA.js";

// src/actions/upstream-preview.ts
var LAYOUT = {
  block: "the upstream block; only its server lines change",
  servers: "server lines included inside the upstream block",
  new: "a new file"
};
async function upstreamPreview(session, services, driver, strategy, clock, log) {
  const { config, environment } = session;
  const nginx = config.strategy.proxy?.nginx;
  const name = nginx?.service ?? services[0];
  const service = name === void 0 ? void 0 : config.services?.[name];
  if (!nginx || !service || !services.includes(name)) return [];
  const sample = driver === "compose" && strategy === "recreate" ? service.port === void 0 ? [] : [{ address: `127.0.0.1:${service.port}` }] : candidateSample(service);
  if (sample.length === 0) return [];
  const lines = [];
  const balancer = environment["load-balancer"];
  const fronting = balancer === void 0 ? void 0 : environment.targets.find((t) => t.name === balancer);
  const sampleAt = (address) => sample.map((s) => atHost(s, address));
  const hosts = balancer === void 0 ? [] : balancerHosts(config, environment).owners;
  for (const target of fronting ? [fronting] : environment.targets) {
    if (target.kind === "docker") continue;
    const file = nginx["upstream-file"];
    try {
      const proxy = new NginxUpstream(await session.shell(target), nginx, clock, log);
      const { text, file: parsed } = await proxy.read();
      const now = parsed.servers.map((s) => s.address).join(", ");
      const kept = now ? `; serving ${now} now, kept until the new replicas serve` : "";
      lines.push(`${target.name}: ${file} after the deploy (${LAYOUT[parsed.layout]}${kept}):`);
      const servers = fronting ? hosts.flatMap(sampleAt) : sample;
      const whose = fronting ? `, the load balancer of ${hosts.length} host(s)` : "";
      if (whose) lines[lines.length - 1] = lines[lines.length - 1]?.replace(/:$/, `${whose}:`) ?? "";
      for (const l of proxy.render(text, servers).trimEnd().split("\n")) lines.push(`  | ${l}`);
    } catch (err) {
      lines.push(`${target.name}: ${file} not read (${errorMessage(err)}); pre-deploy-check tests it`);
    }
  }
  return lines;
}

export {
  upstreamPreview
};
