import {
  LABEL
} from "./chunk-EJKV34LF.js";

// src/deploy/engine/standby.ts
function standbyExpired(live, now) {
  return live?.standby !== void 0 && Date.parse(live.standby.until) <= now.getTime();
}
async function stopExpiredStandby(config, environment, live, deps) {
  const standby = live?.standby;
  if (!standby || !standbyExpired(live, deps.clock.now())) return;
  for (const target of deps.targets) {
    if (!target.docker) continue;
    const running = await target.docker.listContainers({
      labels: { [LABEL.app]: config.app, [LABEL.env]: environment, [LABEL.release]: standby.release }
    });
    for (const c of running.filter((x) => x.state === "running")) {
      const service = config.services?.[c.labels[LABEL.service] ?? ""];
      const grace = Math.ceil((service?.["stop-grace"] ?? 1e4) / 1e3);
      await target.docker.stopContainer(c.id, grace).then(
        () => deps.log.info(
          `${target.name}: ${c.names[0] ?? c.id} stopped: the blue-green standby ${standby.release} expired at ${standby.until} (kept for rollback with scope image)`
        )
      ).catch((err) => deps.log.warn(`${target.name}: could not stop ${c.names[0] ?? c.id}: ${err.message}`));
    }
  }
}

export {
  standbyExpired,
  stopExpiredStandby
};
