// src/commands/compose.ts
function composeBase(c) {
  const argv = [...c.command];
  if (c.project) argv.push("-p", c.project);
  for (const f of c.files ?? []) argv.push("-f", f);
  if (c["env-file"]) argv.push("--env-file", c["env-file"]);
  return argv;
}
var composePull = (c, services) => [...composeBase(c), "pull", ...services];
function composeUp(c, services, o = {}) {
  const argv = [...composeBase(c), "up", "-d", ...o.withDependencies ? [] : ["--no-deps"]];
  if (o.forceRecreate) argv.push("--force-recreate");
  if (o.noRecreate) argv.push("--no-recreate");
  for (const [svc, n] of Object.entries(o.scale ?? {})) argv.push("--scale", `${svc}=${n}`);
  return [...argv, ...services];
}
var composePs = (c, service) => [...composeBase(c), "ps", "-q", service];
var composeRun = (c, service, argv, envNames = []) => [
  ...composeBase(c),
  "run",
  "--rm",
  "--no-deps",
  "-T",
  ...envNames.flatMap((n) => ["-e", n]),
  service,
  ...argv
];
var composeConfigCheck = (c) => [...composeBase(c), "config", "-q"];
var composeConfig = (c) => [...composeBase(c), "config"];

export {
  composeBase,
  composePull,
  composeUp,
  composePs,
  composeRun,
  composeConfigCheck,
  composeConfig
};
