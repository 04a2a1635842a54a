import {
  resolveStrategy
} from "../chunks/chunk-UXZUOFCM.js";
import {
  parseConfig
} from "../chunks/chunk-5F4MXN4T.js";
import "../chunks/chunk-U7XPOYSJ.js";
import "../chunks/chunk-FDIJ72KF.js";
import "../chunks/chunk-ZZX7I4WI.js";
import "../chunks/chunk-4SK5LWOK.js";
import "../chunks/chunk-5V6H6OVK.js";
import "../chunks/chunk-BOC5NVEP.js";
import "../chunks/chunk-KPGNJUSS.js";
import "../chunks/chunk-WNIEMWDA.js";
import {
  ConfigError
} from "../chunks/chunk-O2HJWNJA.js";
import "../chunks/chunk-SEWDMQ6Q.js";

// src/actions/init.ts
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
var SCHEMA_URL = "https://raw.githubusercontent.com/acme/runbook-actions/v1/docs/runbook.schema.json";
var EXAMPLE_SCHEMA_PATH = "../docs/runbook.schema.json";
var REPO = "https://github.com/acme/runbook-actions/blob/v1";
var DOCS = `${REPO}/docs`;
function starterConfig(o) {
  const app = o.app ?? "shop";
  const env = o.environment ?? "production";
  const upstream = `${app.replace(/-/g, "_")}_api`;
  const db = /^[a-z]/.test(app) ? app : `_${app}`.slice(0, 63);
  const appValue = /^[a-z]/.test(app) ? app : `"${app}"`;
  return `# yaml-language-server: $schema=${o.schema}
#
# How ${app} is deployed, read by every runbook action (and the \`runbook\` CLI). Every key, its default and an
# example: ${DOCS}/config.md
# What the server needs first (the deploy user, sudo for nginx, the state directory, host keys):
# ${DOCS}/server-setup.md
#
# This starter describes a compose app behind nginx with PostgreSQL, the runbook most teams follow by hand:
#   pg_dump \u2192 alembic upgrade head \u2192 docker compose pull && up -d \u2192 nginx -s reload \u2192 curl /health
# Change what differs on your server and delete the sections you do not use (database, smoke, strategy.proxy).
# Try it without touching anything (it prints the commands it would run):
#   runbook pre-deploy-check --config runbook.yml --env ${env} --dry-run

# The app's name: used in the names of locks, journals, backups and container labels.
app: ${appValue}

environments:
  ${env}:
    # The public URL. Smoke-check paths (smoke.checks below) are relative to it.
    url: https://${app}.example.com
    targets:
      # The first target is the primary one: the journal, the deploy lock, backups and migrations live there.
      # The SSH key and the pinned host keys are action inputs (ssh-private-key, ssh-known-hosts), never in here.
      - name: web1
        ssh: { host: 203.0.113.10, user: deploy }
    # The journal and the lock go to <state-dir>/${env}/ on web1; the deploy user must be able to write it.
    # state-dir: /var/lib/runbook/${app}
  # staging:
  #   url: https://staging.${app}.example.com
  #   targets:
  #     - name: staging1
  #       ssh: { host: 203.0.113.20, user: deploy }

# The compose project on the server: commands run as \`docker compose -f docker-compose.prod.yml \u2026\` in directory.
compose:
  directory: /opt/${app}
  files: [docker-compose.prod.yml]
  env-file: .env.production
  # The compose file takes the image tag from this variable:  image: ghcr.io/your-org/${app}-api:\${APP_VERSION}
  # The deploy sets it to its \`version\` input (a git sha, a release tag).
  version-env: APP_VERSION

# The services a deploy replaces, by their compose service names. Services not listed here are left alone.
services:
  api:
    image: ghcr.io/your-org/${app}-api
    # The port the compose file publishes on the host (127.0.0.1:8000:8000): the health probe and nginx use it.
    port: 8000
    health:
      # The container must answer this before traffic moves to it; otherwise the previous image comes back.
      http:
        path: /api/v1/health/ready
        expect: { status: 200, json: { status: ready } }
      deadline: 2m
  worker:
    image: ghcr.io/your-org/${app}-api
    # No port: the image's own HEALTHCHECK decides.
    health: { container: true }

strategy:
  # recreate: compose recreates each service in order (compose up --force-recreate), gated on its health: a short
  # outage per service. rolling (with host-ports) runs several replicas, each made from the compose service on its
  # own port, and moves the upstream to them with no outage:
  # ${REPO}/examples/compose-rolling.yml
  type: recreate
  order: [api, worker]
  proxy:
    nginx:
      # The file holding the api's upstream: \`upstream ${upstream} { server 127.0.0.1:8000; }\`, or only the server
      # lines, included inside that block. The deploy user must be able to write it.
      upstream-file: /etc/nginx/conf.d/${app}-upstream.conf
      upstream: ${upstream}
      service: api
      # Run as the deploy user through sudo: server-setup.md has a sudoers rule that allows exactly these two.
      test: [sudo, -n, /usr/sbin/nginx, -t]
      reload: [sudo, -n, /usr/sbin/nginx, -s, reload]

database:
  engine: postgres
  # PostgreSQL runs as the compose service "postgres": pg_dump and psql run inside it (compose exec).
  via: { compose-service: postgres }
  name: ${db}
  user: ${db}
  # The NAME of the environment variable that holds the password (set it from a GitHub secret), never the password.
  password-env: DB_PASSWORD
  backup:
    # On the primary target. Each backup is restored into a scratch database and compared before it counts.
    directory: /var/backups/${app}
    retention: { daily: 7, weekly: 4, monthly: 3 }
  migrate:
    # \`alembic upgrade head\` in a one-off container of the new api image (compose run --rm api \u2026), and only
    # after a verified backup. Other tools: prisma, knex, django, rails, goose, flyway, or custom commands.
    tool: alembic
    service: api

# What pre-deploy-check verifies on every target before anything changes.
checks:
  min-free-disk: 20%
  disk-paths: [/, /var/lib/docker, /var/backups/${app}]
  # Environment variables that must be set (from secrets) in the step that deploys.
  required-secrets: [DB_PASSWORD]
  # Deploy only inside these windows (local time in tz):
  # windows: [{ days: [mon, tue, wed, thu], from: "09:00", to: "16:00", tz: Europe/Berlin }]

# After the deploy: HTTP checks against the environment's url. In the pipeline, a failure rolls the deploy back.
smoke:
  # Retry failing checks for up to a minute while the new containers warm up.
  wait: 60s
  checks:
    - name: ready
      url: /api/v1/health/ready
      expect: { status: 200, json: { status: ready } }
    - name: home
      url: /
      expect: { status: "2xx", max-latency: 2s }
`;
}
function appNameFrom(dir) {
  const name = basename(dir).toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63).replace(/-+$/, "");
  return name === "" ? void 0 : name;
}
async function writeConfig(path, text, force) {
  const file = resolve(path);
  await mkdir(dirname(file), { recursive: true }).catch((err) => {
    throw new ConfigError(`cannot write ${path}: its directory cannot be made (${err.message})`);
  });
  try {
    await writeFile(file, text, { flag: force ? "w" : "wx" });
  } catch (err) {
    const code = err.code;
    if (code === "EEXIST") throw new ConfigError(`${path} already exists; keep it, or overwrite it with --force`);
    if (code === "EISDIR") throw new ConfigError(`${path} is a directory; name a file with --path`);
    throw new ConfigError(`cannot write ${path}: ${err.message}`);
  }
  return file;
}
async function runInit(run) {
  if (run.inputs["from-ssh"] !== void 0) return initFromSsh(run, run.inputs["from-ssh"]);
  const { path, force, environment } = run.inputs;
  const file = resolve(path);
  const app = run.inputs.app ?? appNameFrom(dirname(file)) ?? "app";
  const text = starterConfig({ schema: SCHEMA_URL, app, environment });
  parseConfig(text, path);
  await writeConfig(path, text, force);
  run.log.info(`wrote ${path}: a starter config for ${app} (a compose app behind nginx with PostgreSQL)`);
  run.log.info("next: edit the hosts, paths and names for your server, then check it without connecting:");
  run.log.info(`  runbook pre-deploy-check --config ${path} --env ${environment} --dry-run`);
  run.log.info(`what the server needs first: ${DOCS}/server-setup.md`);
  run.runner.setOutput("path", file);
}
async function initFromSsh(run, from) {
  const { path, force, environment } = run.inputs;
  const file = resolve(path);
  const [{ parseSshAddress, surveyServer }, { planFrom }, { proposalText }, { probeOver }, { liveConnector }] = await Promise.all([
    import("../chunks/survey-HIHX4E4D.js"),
    import("../chunks/plan-DHERYKMD.js"),
    import("../chunks/propose-TXQVSWUU.js"),
    import("../chunks/probe-R6MCU7RJ.js"),
    import("../session/connector.js")
  ]);
  const address = parseSshAddress(from);
  if (!force && existsSync(file)) {
    throw new ConfigError(`${path} already exists; keep it, or overwrite it with --force`);
  }
  const dockerSocket = run.inputs["docker-socket"];
  const connector = liveConnector(
    {
      privateKey: run.inputs["ssh-private-key"],
      passphrase: run.inputs["ssh-private-key-passphrase"],
      knownHosts: run.inputs["ssh-known-hosts"],
      insecureIgnoreHostKey: run.inputs["ssh-insecure-ignore-host-key"]
    },
    run.log,
    run.signal,
    run.clock,
    run.runner.env
  );
  run.onCleanup(() => connector.close());
  const survey = await run.log.group(`Reading ${from} (read only)`, async () => {
    const shell = await connector.shell({
      name: address.host,
      kind: "ssh",
      ssh: { ...address, "connect-timeout": 2e4, "keepalive-interval": 15e3 },
      "docker-socket": dockerSocket ?? "/var/run/docker.sock",
      env: {}
    });
    const probe = probeOver(shell, { log: run.log, timeoutMs: 3e4, signal: run.signal });
    return surveyServer(probe, address, { nginxConf: run.inputs["nginx-conf"], dockerSocket });
  });
  const plan = planFrom(survey, {
    app: run.inputs.app,
    fallbackApp: appNameFrom(dirname(file)) ?? "app",
    environment,
    dockerSocket,
    unpinned: run.inputs["ssh-insecure-ignore-host-key"],
    project: run.inputs["compose-project"]
  });
  const text = proposalText(plan, survey, {
    schema: SCHEMA_URL,
    docs: DOCS,
    date: run.clock.now().toISOString().slice(0, 10)
  });
  try {
    resolveStrategy(parseConfig(text, path));
  } catch (err) {
    throw new Error(`the proposal for ${from} does not load, a bug of runbook init: ${err.message}`);
  }
  await writeConfig(path, text, force);
  const todos = text.match(/# TODO:/g)?.length ?? 0;
  const what = plan.driver === "none" ? "no running compose app found" : `compose project ${plan.project?.name}`;
  run.log.info(`wrote ${path}: a proposal for ${plan.app} from ${from} (${what}; ${todos} TODOs to fill in)`);
  for (const note of survey.notes) run.log.info(`  could not read: ${note}`);
  run.log.info(`next: fill in the TODOs, then check it against the server (it only reads):`);
  run.log.info(
    `  runbook pre-deploy-check --config ${path} --env ${environment} --input ssh-private-key=@KEY --input ssh-known-hosts=@known_hosts`
  );
  run.runner.setOutput("path", file);
}
export {
  EXAMPLE_SCHEMA_PATH,
  SCHEMA_URL,
  appNameFrom,
  runInit,
  starterConfig
};
