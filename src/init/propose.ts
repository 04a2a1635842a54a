/**
 * The proposal's text: runbook.yml as `runbook init` writes its starter (commented for someone who has never seen
 * the file), from a plan. Each guess carries a `# TODO:` comment where it stands, and the header lists them all
 * (written from the same calls, so the two never disagree), with what the survey found and what it could not read.
 * Pure.
 */
import type { Plan } from './plan.js';
import { composeText, databaseText, serviceText } from './propose-sections.js';
import type { ServerSurvey } from './survey.js';
import { bullets, list, scalar, Todos } from './yaml-text.js';

export interface ProposeOptions {
  /** The `$schema` of the first line. */
  schema: string;
  /** Where the config reference and server setup pages are (…/docs). */
  docs: string;
  /** The day of the survey, `2026-11-30`. */
  date: string;
}

/** What the survey read, for the header: one line each. */
function foundOf(p: Plan, s: ServerSurvey): string[] {
  const f: string[] = [];
  const user = p.target.user;
  if (s.root) f.push(`${user} is root: nginx's commands need no sudo`);
  else if ((s.groups ?? []).includes('docker')) f.push(`${user} is in the docker group`);
  else if (s.docker) f.push(`${user} is not in the docker group, but docker answered (the socket lets it in)`);
  if (s.docker) f.push(`Docker Engine ${s.docker.version}, ${s.docker.containers.length} running container(s)`);
  if (s.compose) f.push(`compose ${s.compose.version} (${s.compose.command.join(' ')})`);
  if (p.project) f.push(`compose project ${p.project.name} in ${p.project.directory ?? '(no working_dir label)'}`);
  for (const x of p.services) {
    const where = x.hostPort === undefined ? 'no port' : `serves on ${x.hostPort}`;
    const health = x.healthcheck ? `HEALTHCHECK${x.health ? ` (${x.health})` : ''}` : 'no HEALTHCHECK';
    f.push(`  service ${x.name}: ${x.runs}, ${x.network} network, ${where}, ${health}`);
  }
  if (p.proxy) {
    const u = p.proxy.upstream;
    f.push(`nginx upstream ${u.name} in ${u.file} serves ${u.servers.join(', ')} (${p.proxy.service})`);
    if (p.proxy.site) f.push(`  proxied to by server_name ${p.proxy.site.names.join(' ')} in ${p.proxy.site.file}`);
  } else if (s.nginx) f.push(`nginx: ${s.nginx.files.length} file(s) read, no upstream in front of the app`);
  if (p.database) f.push(`PostgreSQL: ${p.database.found}`);
  return [...f, ...p.found];
}

function targetText(p: Plan, s: ServerSurvey, t: Todos): string {
  const a = p.target;
  const where = `${a.user}@${a.host.includes(':') ? `[${a.host}]` : a.host}${a.port === 22 ? '' : `:${a.port}`}`;
  const pin = a.port === 22 ? a.host : `[${a.host}]:${a.port}`;
  const out = [
    `      # Surveyed as ${where}. The key and the pinned host key are action inputs (ssh-private-key,`,
    `      # ssh-known-hosts), never in here: pass the known_hosts line the survey used (${pin} …).`,
  ];
  if (a.unpinned) {
    out.push(
      t.at(
        '      ',
        'ssh-known-hosts',
        `pin the host key: the survey did not check it (ssh-keyscan -p ${a.port} ${a.host})`,
      ),
    );
  }
  if (s.dockerUnreachable && !a.dockerSocket) {
    out.push(
      t.at(
        '      ',
        'docker',
        'no Docker engine answered at the default socket: name yours (runbook init --from-ssh … --input docker-socket=PATH) and run init again',
      ),
    );
  } else if (!s.root && !s.docker && !s.dockerMissing && !(s.groups ?? []).includes('docker')) {
    out.push(t.at('      ', 'docker', `let ${a.user} use docker: sudo usermod -aG docker ${a.user} (server-setup.md)`));
  }
  out.push(`      - name: ${a.name}`);
  out.push(
    `        ssh: { host: ${scalar(a.host)}${a.port === 22 ? '' : `, port: ${a.port}`}, user: ${scalar(a.user)} }`,
  );
  if (a.dockerSocket) {
    out.push(`        docker-socket: ${scalar(a.dockerSocket)}`);
    out.push(`        env: { DOCKER_HOST: ${scalar(`unix://${a.dockerSocket}`)} }`);
  }
  return out.join('\n');
}

function strategyText(p: Plan, s: ServerSurvey, t: Todos): string {
  const order = p.services.length > 1 ? [`  order: ${list(p.services.map((x) => x.name))}`] : [];
  if (p.driver === 'none' || !p.proxy) {
    return [
      'strategy:',
      '  # The compose driver recreates each service in order (compose up --force-recreate), gated on its health:',
      '  # a short outage per service. No nginx upstream was found in front of the app; with one, rolling deploys',
      '  # replica by replica without an outage (examples/compose-rolling.yml).',
      '  type: recreate',
      ...order,
    ].join('\n');
  }
  const how =
    p.driver === 'compose'
      ? [
          '  # Each replica is a container made through the Engine API from its service as `compose config` resolves it',
          '  # (env files, environment, volumes, network, healthcheck, command …), on its own port from host-ports.',
          "  # Compose's ports: are replaced by those ports; a key that cannot be carried (privileged, devices, a second",
          '  # network …) is refused before anything changes, and pre-deploy-check names it.',
        ]
      : [
          '  # The engine driver runs the containers itself: with the image, env, port and command of services, and no',
          '  # volumes, env files or compose network. No label said where the compose files are: with a compose section',
          '  # naming their directory, driver: compose rolls replicas made from them instead (examples/compose-rolling.yml).',
        ];
  const x = p.proxy;
  const key = 'strategy.proxy.nginx';
  const stop = [
    ...(s.compose?.command ?? ['docker', 'compose']),
    ...['-p', p.project?.name ?? '', 'stop', ...p.services.map((v) => v.name)],
  ];
  return [
    'strategy:',
    '  # Take-over: the first deploy starts the new replicas on host-ports beside the running compose app, and only',
    '  # when they are healthy does it switch the upstream to them (its other lines stay as they are): no outage.',
    '  # A failed first deploy leaves the upstream file byte for byte as it was. The compose containers keep',
    '  # running out of traffic, so rollback can return to them; stop them once you no longer need them (services',
    '  # without an upstream, like workers, run twice until then):',
    `  #   cd ${p.project?.directory ?? '<the compose directory>'} && ${stop.join(' ')}`,
    ...how,
    '  type: rolling',
    `  driver: ${p.driver}`,
    ...order,
    '  max-surge: 1',
    '  proxy:',
    '    nginx:',
    `      # upstream ${x.upstream.name} { … } is in ${x.upstream.file}${x.upstream.serversFile ? '; its server lines are included from this file' : ''}.`,
    '      # The deploy user must be able to write it (or, for atomic writes, its directory).',
    ...(x.upstreamFile.includes('/sites-enabled/')
      ? [t.at('      ', `${key}.upstream-file`, 'sites-enabled files are often links: name the file it points to')]
      : []),
    `      upstream-file: ${scalar(x.upstreamFile)}`,
    `      upstream: ${x.upstream.name}`,
    `      service: ${x.service}`,
    x.test[0] === 'sudo'
      ? t.at('      ', `${key}.test`, 'a sudoers rule that allows exactly these two commands (server-setup.md)')
      : '      # As root: no sudo needed.',
    `      test: ${list(x.test)}`,
    `      reload: ${list(x.reload)}`,
    x.pidFound
      ? "      # nginx.conf's pid directive."
      : t.at('      ', `${key}.pid-file`, "nginx.conf has no pid directive: nginx's own default is assumed"),
    `      pid-file: ${scalar(x.pidFile)}`,
  ].join('\n');
}

/** The proposed runbook.yml for a plan of a survey. */
export function proposalText(p: Plan, s: ServerSurvey, o: ProposeOptions): string {
  const t = new Todos();
  const a = p.target;
  const env = [
    'environments:',
    `  ${p.environment}:`,
    ...(p.url
      ? ['    # server_name of the nginx server block in front of the app. Smoke-check paths are relative to it.']
      : [t.at('    ', 'url', 'the public URL; smoke-check paths are relative to it')]),
    p.url ? `    url: ${p.url}` : `    # url: https://${p.app}.example.com`,
    '    targets:',
    targetText(p, s, t),
    t.at('    ', 'state-dir', `where the deploy user keeps journal and lock (default /var/lib/runbook/${p.app})`),
    `    # state-dir: /var/lib/runbook/${p.app}`,
  ].join('\n');
  // Written in the order of the file, so the header lists the TODOs in that order too.
  const compose = p.usesCompose || (p.driver === 'none' && p.project) ? [composeText(p, t)] : [];
  const services =
    p.services.length > 0
      ? `# The services a deploy replaces. Services not listed here are left alone.\nservices:\n${p.services.map((x) => serviceText(x, p, t)).join('\n')}`
      : `${t.at('', 'services', 'the services a deploy replaces (no running compose app was found)')}
# services:
#   api: { image: ghcr.io/your-org/app, port: 8000, health: { http: { path: /health } } }`;
  const strategy = strategyText(p, s, t);
  const database = databaseText(p, t);
  const checks = [
    'min-free-disk: 20%',
    'disk-paths: [/]',
    ...(p.checks.docker ? [`docker: "${p.checks.docker}"  # found ${s.docker?.version}`] : []),
    p.checks.compose === false
      ? 'compose: false  # deploys do not use compose'
      : p.checks.compose
        ? `compose: "${p.checks.compose}"  # found ${s.compose?.version}`
        : t.at('', 'checks.compose', 'the compose version to require (no compose answered)'),
    ...(p.database ? ['required-secrets: [DB_PASSWORD]'] : []),
  ];
  const smoke = `${t.at('', 'smoke', 'the HTTP checks after each deploy (in the pipeline, a failure rolls it back)')}
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
    `# What pre-deploy-check verifies on ${a.name} before anything changes.\nchecks:\n${checks.map((c) => `  ${c}`).join('\n')}`,
    smoke,
  ];
  const where = `${a.user}@${a.host.includes(':') ? `[${a.host}]` : a.host}${a.port === 22 ? '' : `:${a.port}`}`;
  const notes = s.notes.length > 0 ? `\n#\n# What it could not read:\n${bullets(s.notes)}` : '';
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

${sections.join('\n\n')}
`;
}
