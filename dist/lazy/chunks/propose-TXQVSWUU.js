function require(id) {
  require.made ??= process.getBuiltinModule('node:module').createRequire(import.meta.url);
  return require.made(id);
}
import "./chunk-SEWDMQ6Q.js";

// src/init/yaml-text.ts
var YAML_WORD = /^(true|false|yes|no|on|off|null|~|y|n)$/i;
var YAML_NUMBER = /^[-+]?(\.\d+|\d[\d_]*\.?\d*)([eE][-+]?\d+)?$|^0[xo][\da-f]+$/i;
function scalar(v) {
  if (typeof v === "number") return String(v);
  const plain = /^[A-Za-z0-9_/.][A-Za-z0-9_/.@+-]*$/.test(v) && !YAML_WORD.test(v) && !YAML_NUMBER.test(v);
  return plain ? v : JSON.stringify(v);
}
var list = (items) => `[${items.map((i) => typeof i === "string" && /^-[A-Za-z]$/.test(i) ? i : scalar(i)).join(", ")}]`;
var Todos = class {
  header = [];
  at(indent, key, what, detail = "") {
    this.header.push(`${key}: ${what}`);
    return `${indent}# TODO: ${what}${detail}`;
  }
};
var bullets = (lines) => lines.map((l) => l.startsWith("  ") ? `#     ${l.trim()}` : `#   - ${l}`).join("\n");

// src/init/propose-sections.ts
function serviceText(x, p, t) {
  const key = `services.${x.name}`;
  const out = [`  ${x.name}:`, `    # Runs ${x.runs} now (${x.containers.join(", ")}).`];
  if (!x.imageOk) out.push(t.at("    ", `${key}.image`, `the repository the deploy pulls (it runs ${x.runs})`));
  if (!x.tag || x.tag === "latest") {
    out.push(t.at("    ", key, `it runs ${x.tag ?? "no"} tag; deploys name the tag (their version input)`));
  }
  out.push(`    image: ${scalar(x.image)}`);
  if (p.proxy) out.push(...rollingText(x, p, t));
  else if (x.hostPort !== void 0) {
    out.push("    # The port the compose file publishes on the host: the health probe and nginx use it.");
    out.push(`    port: ${x.hostPort}`);
  }
  if (x.healthcheck) {
    out.push(`    # The image's HEALTHCHECK decides${x.health ? ` (${x.health} now)` : ""}.`);
    out.push("    health: { container: true }");
  } else {
    out.push(t.at("    ", `${key}.health`, "what your app answers when it is ready (the image has no HEALTHCHECK)"));
    out.push("    # Without health the gate only waits until the container keeps running (and accepts connections):");
    out.push("    # health: { http: { path: /health, expect: { status: 200 } } }");
  }
  return out.join("\n");
}
function rollingText(x, p, t) {
  const key = `services.${x.name}`;
  const compose = p.driver === "compose";
  const out = [];
  if (x.replicas > 1) out.push(`    replicas: ${x.replicas}`);
  if (x.network === "host") {
    const port = x.portEnv ?? "PORT";
    out.push(
      compose ? `    # network_mode: host in the compose file, which this must match: each replica gets its host port in ${port}.` : `    # Host networking: each replica is told its host port in ${port}.`
    );
    out.push("    network: host");
    if (x.portEnv && x.portEnv !== "PORT") out.push(`    port-env: ${x.portEnv}`);
  } else {
    if (compose) {
      out.push(
        `    # network: bridge (the default, for any network but host): replicas join ${x.network}, as compose does.`
      );
    } else if (x.network !== "bridge") {
      const why = `it runs on ${x.network}, where it reaches the project's services by name; deploys use bridge`;
      out.push(t.at("    ", key, why));
    }
    if (x.port !== void 0) {
      out.push(
        compose ? "    # The container port; each replica publishes it on 127.0.0.1 at its host port (compose's ports: replaced)." : "    # The container port; each replica gets a host port, published on 127.0.0.1 to it."
      );
      out.push(`    port: ${x.port}`);
    }
  }
  if (x.hostPorts) {
    out.push(`    # Above the ports in use (${x.hostPort} now): new replicas start beside the old ones.`);
    out.push(`    host-ports: ${x.hostPorts[0]}-${x.hostPorts[1]}`);
  }
  if (compose) {
    const carried = [
      ...x.ownEnv.length > 0 ? [`environment (${x.ownEnv.join(", ")})`] : [],
      ...x.mounts.length > 0 ? [`mounts (${x.mounts.join(", ")})`] : [],
      ...x.sharesImageWith ? ["command"] : []
    ];
    if (carried.length > 0)
      out.push(`    # From the compose file, carried into each replica: its ${carried.join(", ")}.`);
    return out;
  }
  if (x.ownEnv.length > 0) {
    const names = x.ownEnv.join(", ");
    out.push(t.at("    ", `${key}.env`, `its containers also set ${names}; deploys set only env (never secrets)`));
  }
  if (x.mounts.length > 0) {
    out.push(t.at("    ", key, `its containers mount ${x.mounts.join(", ")}; deploys mount nothing`));
  }
  if (x.sharesImageWith) {
    const why = `it runs the image of ${x.sharesImageWith}, likely with a command of its own (compose command:)`;
    out.push(t.at("    ", `${key}.command`, why));
  }
  return out;
}
function composeText(p, t) {
  const proj = p.project;
  const why = p.driver === "compose" ? p.proxy ? "# The compose project: deploys read each service from it (`docker compose -p \u2026 -f \u2026 config` in directory)." : "# The compose project deploys run in: `docker compose -p \u2026 -f \u2026` in directory, as the team runs it." : "# The compose project the database runs in (backups run compose exec); the engine driver runs the app.";
  const image = `${p.services[0]?.image ?? "ghcr.io/your-org/app"}:\${APP_VERSION}`;
  return [
    why,
    "compose:",
    proj?.directory ? `  directory: ${scalar(proj.directory)}` : `${t.at("  ", "compose.directory", "the directory of the compose files (no label says it)")}
  directory: /opt/${p.app}`,
    ...proj && proj.files.length > 0 ? [`  files: ${list(proj.files)}`] : [],
    ...proj ? [`  project: ${scalar(proj.name)}`] : [],
    ...proj?.envFile ? [`  env-file: ${scalar(proj.envFile)}`] : [],
    ...p.composeCommand ? [`  command: ${list(p.composeCommand)}`] : [],
    t.at("  ", "compose.version-env", "that the compose file reads the tag from it", `: image: ${image}`),
    "  version-env: APP_VERSION"
  ].join("\n");
}
function databaseText(p, t) {
  const db = p.database;
  if (!db) return "# No PostgreSQL was found (no container, no cluster, nothing on 5432): no database section.";
  const via = db.via;
  const viaText = "compose-service" in via ? `{ compose-service: ${via["compose-service"]} }` : "container" in via ? `{ container: ${scalar(via.container)} }` : `{ host: ${via.host}${via.port === 5432 ? "" : `, port: ${via.port}`} }`;
  const name = /^[a-z]/.test(p.app) ? p.app : `_${p.app}`.slice(0, 63);
  return [
    "database:",
    "  engine: postgres",
    `  # Found: ${db.found}.`,
    `  via: ${viaText}`,
    t.at("  ", "database.name", "the database and the role the app uses (the survey never logs in)"),
    `  name: ${name}`,
    `  user: ${name}`,
    "  # The NAME of the variable that holds the password (set it from a secret), never the password itself.",
    "  password-env: DB_PASSWORD",
    "  backup:",
    t.at("    ", "database.backup.directory", `a directory the deploy user can write on ${p.target.name}`),
    `    directory: /var/backups/${p.app}`,
    t.at(
      "  ",
      "database.migrate",
      "how deploys migrate the schema, if they do",
      " (alembic, prisma, django, custom\u2026):"
    ),
    `  # migrate: { tool: alembic, service: ${p.services[0]?.name ?? "api"} }`
  ].join("\n");
}

// src/init/propose.ts
function foundOf(p, s) {
  const f = [];
  const user = p.target.user;
  if (s.root) f.push(`${user} is root: nginx's commands need no sudo`);
  else if ((s.groups ?? []).includes("docker")) f.push(`${user} is in the docker group`);
  else if (s.docker) f.push(`${user} is not in the docker group, but docker answered (the socket lets it in)`);
  if (s.docker) f.push(`Docker Engine ${s.docker.version}, ${s.docker.containers.length} running container(s)`);
  if (s.compose) f.push(`compose ${s.compose.version} (${s.compose.command.join(" ")})`);
  if (p.project) f.push(`compose project ${p.project.name} in ${p.project.directory ?? "(no working_dir label)"}`);
  for (const x of p.services) {
    const where = x.hostPort === void 0 ? "no port" : `serves on ${x.hostPort}`;
    const health = x.healthcheck ? `HEALTHCHECK${x.health ? ` (${x.health})` : ""}` : "no HEALTHCHECK";
    f.push(`  service ${x.name}: ${x.runs}, ${x.network} network, ${where}, ${health}`);
  }
  if (p.proxy) {
    const u = p.proxy.upstream;
    f.push(`nginx upstream ${u.name} in ${u.file} serves ${u.servers.join(", ")} (${p.proxy.service})`);
    if (p.proxy.site) f.push(`  proxied to by server_name ${p.proxy.site.names.join(" ")} in ${p.proxy.site.file}`);
  } else if (s.nginx) f.push(`nginx: ${s.nginx.files.length} file(s) read, no upstream in front of the app`);
  if (p.database) f.push(`PostgreSQL: ${p.database.found}`);
  return [...f, ...p.found];
}
function targetText(p, s, t) {
  const a = p.target;
  const where = `${a.user}@${a.host.includes(":") ? `[${a.host}]` : a.host}${a.port === 22 ? "" : `:${a.port}`}`;
  const pin = a.port === 22 ? a.host : `[${a.host}]:${a.port}`;
  const out = [
    `      # Surveyed as ${where}. The key and the pinned host key are action inputs (ssh-private-key,`,
    `      # ssh-known-hosts), never in here: pass the known_hosts line the survey used (${pin} \u2026).`
  ];
  if (a.unpinned) {
    out.push(
      t.at(
        "      ",
        "ssh-known-hosts",
        `pin the host key: the survey did not check it (ssh-keyscan -p ${a.port} ${a.host})`
      )
    );
  }
  if (s.dockerUnreachable && !a.dockerSocket) {
    out.push(
      t.at(
        "      ",
        "docker",
        "no Docker engine answered at the default socket: name yours (runbook init --from-ssh \u2026 --input docker-socket=PATH) and run init again"
      )
    );
  } else if (!s.root && !s.docker && !s.dockerMissing && !(s.groups ?? []).includes("docker")) {
    out.push(t.at("      ", "docker", `let ${a.user} use docker: sudo usermod -aG docker ${a.user} (server-setup.md)`));
  }
  out.push(`      - name: ${a.name}`);
  out.push(
    `        ssh: { host: ${scalar(a.host)}${a.port === 22 ? "" : `, port: ${a.port}`}, user: ${scalar(a.user)} }`
  );
  if (a.dockerSocket) {
    out.push(`        docker-socket: ${scalar(a.dockerSocket)}`);
    out.push(`        env: { DOCKER_HOST: ${scalar(`unix://${a.dockerSocket}`)} }`);
  }
  return out.join("\n");
}
function strategyText(p, s, t) {
  const order = p.services.length > 1 ? [`  order: ${list(p.services.map((x2) => x2.name))}`] : [];
  if (p.driver === "none" || !p.proxy) {
    return [
      "strategy:",
      "  # The compose driver recreates each service in order (compose up --force-recreate), gated on its health:",
      "  # a short outage per service. No nginx upstream was found in front of the app; with one, rolling deploys",
      "  # replica by replica without an outage (examples/compose-rolling.yml).",
      "  type: recreate",
      ...order
    ].join("\n");
  }
  const how = p.driver === "compose" ? [
    "  # Each replica is a container made through the Engine API from its service as `compose config` resolves it",
    "  # (env files, environment, volumes, network, healthcheck, command \u2026), on its own port from host-ports.",
    "  # Compose's ports: are replaced by those ports; a key that cannot be carried (privileged, devices, a second",
    "  # network \u2026) is refused before anything changes, and pre-deploy-check names it."
  ] : [
    "  # The engine driver runs the containers itself: with the image, env, port and command of services, and no",
    "  # volumes, env files or compose network. No label said where the compose files are: with a compose section",
    "  # naming their directory, driver: compose rolls replicas made from them instead (examples/compose-rolling.yml)."
  ];
  const x = p.proxy;
  const key = "strategy.proxy.nginx";
  const stop = [
    ...s.compose?.command ?? ["docker", "compose"],
    ...["-p", p.project?.name ?? "", "stop", ...p.services.map((v) => v.name)]
  ];
  return [
    "strategy:",
    "  # Take-over: the first deploy starts the new replicas on host-ports beside the running compose app, and only",
    "  # when they are healthy does it switch the upstream to them (its other lines stay as they are): no outage.",
    "  # A failed first deploy leaves the upstream file byte for byte as it was. The compose containers keep",
    "  # running out of traffic, so rollback can return to them; stop them once you no longer need them (services",
    "  # without an upstream, like workers, run twice until then):",
    `  #   cd ${p.project?.directory ?? "<the compose directory>"} && ${stop.join(" ")}`,
    ...how,
    "  type: rolling",
    `  driver: ${p.driver}`,
    ...order,
    "  max-surge: 1",
    "  proxy:",
    "    nginx:",
    `      # upstream ${x.upstream.name} { \u2026 } is in ${x.upstream.file}${x.upstream.serversFile ? "; its server lines are included from this file" : ""}.`,
    "      # The deploy user must be able to write it (or, for atomic writes, its directory).",
    ...x.upstreamFile.includes("/sites-enabled/") ? [t.at("      ", `${key}.upstream-file`, "sites-enabled files are often links: name the file it points to")] : [],
    `      upstream-file: ${scalar(x.upstreamFile)}`,
    `      upstream: ${x.upstream.name}`,
    `      service: ${x.service}`,
    x.test[0] === "sudo" ? t.at("      ", `${key}.test`, "a sudoers rule that allows exactly these two commands (server-setup.md)") : "      # As root: no sudo needed.",
    `      test: ${list(x.test)}`,
    `      reload: ${list(x.reload)}`,
    x.pidFound ? "      # nginx.conf's pid directive." : t.at("      ", `${key}.pid-file`, "nginx.conf has no pid directive: nginx's own default is assumed"),
    `      pid-file: ${scalar(x.pidFile)}`
  ].join("\n");
}
function proposalText(p, s, o) {
  const t = new Todos();
  const a = p.target;
  const env = [
    "environments:",
    `  ${p.environment}:`,
    ...p.url ? ["    # server_name of the nginx server block in front of the app. Smoke-check paths are relative to it."] : [t.at("    ", "url", "the public URL; smoke-check paths are relative to it")],
    p.url ? `    url: ${p.url}` : `    # url: https://${p.app}.example.com`,
    "    targets:",
    targetText(p, s, t),
    t.at("    ", "state-dir", `where the deploy user keeps journal and lock (default /var/lib/runbook/${p.app})`),
    `    # state-dir: /var/lib/runbook/${p.app}`
  ].join("\n");
  const compose = p.usesCompose || p.driver === "none" && p.project ? [composeText(p, t)] : [];
  const services = p.services.length > 0 ? `# The services a deploy replaces. Services not listed here are left alone.
services:
${p.services.map((x) => serviceText(x, p, t)).join("\n")}` : `${t.at("", "services", "the services a deploy replaces (no running compose app was found)")}
# services:
#   api: { image: ghcr.io/your-org/app, port: 8000, health: { http: { path: /health } } }`;
  const strategy = strategyText(p, s, t);
  const database = databaseText(p, t);
  const checks = [
    "min-free-disk: 20%",
    "disk-paths: [/]",
    ...p.checks.docker ? [`docker: "${p.checks.docker}"  # found ${s.docker?.version}`] : [],
    p.checks.compose === false ? "compose: false  # deploys do not use compose" : p.checks.compose ? `compose: "${p.checks.compose}"  # found ${s.compose?.version}` : t.at("", "checks.compose", "the compose version to require (no compose answered)"),
    ...p.database ? ["required-secrets: [DB_PASSWORD]"] : []
  ];
  const smoke = `${t.at("", "smoke", "the HTTP checks after each deploy (in the pipeline, a failure rolls it back)")}
# smoke:
#   wait: 60s
#   checks:
#     - { name: home, url: /, expect: { status: "2xx" } }`;
  const sections = [
    `app: ${scalar(p.app)}`,
    env,
    ...compose,
    services,
    strategy,
    database,
    `# What pre-deploy-check verifies on ${a.name} before anything changes.
checks:
${checks.map((c) => `  ${c}`).join("\n")}`,
    smoke
  ];
  const where = `${a.user}@${a.host.includes(":") ? `[${a.host}]` : a.host}${a.port === 22 ? "" : `:${a.port}`}`;
  const notes = s.notes.length > 0 ? `
#
# What it could not read:
${bullets(s.notes)}` : "";
  return `# yaml-language-server: $schema=${o.schema}
#
# Proposed by \`runbook init --from-ssh ${where}\` on ${o.date} from what the server showed.
# Read only: id, docker ps/inspect/version, compose version, nginx's files (cat, ls), ss, pg_lsclusters. No secret
# was read: of the containers' environments only the variable names and the port variables.
# Every key: ${o.docs}/config.md
# What the server needs first: ${o.docs}/server-setup.md
#
# What it found:
${bullets(foundOf(p, s))}
#
# What it could not know (each is a TODO below):
${bullets(t.header)}${notes}
#
# Check it without touching anything, then against the server:
#   runbook pre-deploy-check --config runbook.yml --env ${p.environment} --dry-run

${sections.join("\n\n")}
`;
}
export {
  proposalText
};
