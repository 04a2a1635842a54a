import {
  ForwardingRefusedError
} from "./chunk-LS37LGEL.js";

// src/deploy/engine/labels.ts
var LABEL = {
  app: "io.runbook.app",
  env: "io.runbook.env",
  service: "io.runbook.service",
  release: "io.runbook.release",
  slot: "io.runbook.slot",
  port: "io.runbook.port"
};
function ownerOf(s) {
  return { app: s.config.app, env: s.environment, service: s.name };
}
function ownerLabels(o) {
  return { [LABEL.app]: o.app, [LABEL.env]: o.env, [LABEL.service]: o.service };
}
function replicaLabels(o, release, slot, port) {
  const labels = { ...ownerLabels(o), [LABEL.release]: release, [LABEL.slot]: String(slot) };
  return port === void 0 ? labels : { ...labels, [LABEL.port]: String(port) };
}
function containerName(o, release, slot) {
  return `${o.app}-${o.env}-${o.service}-${release}-${slot}`.replace(/[^a-zA-Z0-9_.-]/g, "_");
}
function portOf(labels) {
  const p = Number(labels[LABEL.port]);
  return Number.isInteger(p) && p > 0 ? p : void 0;
}

// src/transports/tcp-probe.ts
async function tcpRefusal(t, host, port, timeoutMs) {
  let timer;
  const attempt = t.connectTcp(host, port);
  const deadline = timeoutMs === void 0 ? [] : [
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs);
    })
  ];
  try {
    (await Promise.race([attempt, ...deadline])).destroy();
    return void 0;
  } catch (err) {
    attempt.then((late) => late.destroy()).catch(() => void 0);
    if (err instanceof ForwardingRefusedError) throw err;
    return err;
  } finally {
    clearTimeout(timer);
  }
}
async function acceptsTcp(t, host, port, timeoutMs) {
  return await tcpRefusal(t, host, port, timeoutMs) === void 0;
}

export {
  tcpRefusal,
  acceptsTcp,
  LABEL,
  ownerOf,
  ownerLabels,
  replicaLabels,
  containerName,
  portOf
};
