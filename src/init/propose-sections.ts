/**
 * The sections of the proposal that follow from the plan alone: each service, the compose section and the database,
 * with their `# TODO:` comments. Pure; propose.ts puts them together.
 */
import type { Plan, PlannedService } from './plan.js';
import { list, scalar, type Todos } from './yaml-text.js';

export function serviceText(x: PlannedService, p: Plan, t: Todos): string {
  const key = `services.${x.name}`;
  const out = [`  ${x.name}:`, `    # Runs ${x.runs} now (${x.containers.join(', ')}).`];
  if (!x.imageOk) out.push(t.at('    ', `${key}.image`, `the repository the deploy pulls (it runs ${x.runs})`));
  if (!x.tag || x.tag === 'latest') {
    out.push(t.at('    ', key, `it runs ${x.tag ?? 'no'} tag; deploys name the tag (their version input)`));
  }
  out.push(`    image: ${scalar(x.image)}`);
  if (p.proxy) out.push(...rollingText(x, p, t));
  else if (x.hostPort !== undefined) {
    out.push('    # The port the compose file publishes on the host: the health probe and nginx use it.');
    out.push(`    port: ${x.hostPort}`);
  }
  if (x.healthcheck) {
    out.push(`    # The image's HEALTHCHECK decides${x.health ? ` (${x.health} now)` : ''}.`);
    out.push('    health: { container: true }');
  } else {
    out.push(t.at('    ', `${key}.health`, 'what your app answers when it is ready (the image has no HEALTHCHECK)'));
    out.push('    # Without health the gate only waits until the container keeps running (and accepts connections):');
    out.push('    # health: { http: { path: /health, expect: { status: 200 } } }');
  }
  return out.join('\n');
}

/**
 * Rolling behind the upstream: replicas, network, port and host ports. With the compose driver each replica is made
 * from the compose file, which carries the rest; the engine driver creates the containers from these keys alone, so
 * what its containers have beyond them (variables, mounts, a command of their own) is a TODO.
 */
function rollingText(x: PlannedService, p: Plan, t: Todos): string[] {
  const key = `services.${x.name}`;
  const compose = p.driver === 'compose';
  const out: string[] = [];
  if (x.replicas > 1) out.push(`    replicas: ${x.replicas}`);
  if (x.network === 'host') {
    const port = x.portEnv ?? 'PORT';
    out.push(
      compose
        ? `    # network_mode: host in the compose file, which this must match: each replica gets its host port in ${port}.`
        : `    # Host networking: each replica is told its host port in ${port}.`,
    );
    out.push('    network: host');
    if (x.portEnv && x.portEnv !== 'PORT') out.push(`    port-env: ${x.portEnv}`);
  } else {
    if (compose) {
      out.push(
        `    # network: bridge (the default, for any network but host): replicas join ${x.network}, as compose does.`,
      );
    } else if (x.network !== 'bridge') {
      const why = `it runs on ${x.network}, where it reaches the project's services by name; deploys use bridge`;
      out.push(t.at('    ', key, why));
    }
    if (x.port !== undefined) {
      out.push(
        compose
          ? "    # The container port; each replica publishes it on 127.0.0.1 at its host port (compose's ports: replaced)."
          : '    # The container port; each replica gets a host port, published on 127.0.0.1 to it.',
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
      ...(x.ownEnv.length > 0 ? [`environment (${x.ownEnv.join(', ')})`] : []),
      ...(x.mounts.length > 0 ? [`mounts (${x.mounts.join(', ')})`] : []),
      ...(x.sharesImageWith ? ['command'] : []),
    ];
    if (carried.length > 0)
      out.push(`    # From the compose file, carried into each replica: its ${carried.join(', ')}.`);
    return out;
  }
  // What the engine driver does not carry over from compose: the container's own variables, mounts, command.
  if (x.ownEnv.length > 0) {
    const names = x.ownEnv.join(', ');
    out.push(t.at('    ', `${key}.env`, `its containers also set ${names}; deploys set only env (never secrets)`));
  }
  if (x.mounts.length > 0) {
    out.push(t.at('    ', key, `its containers mount ${x.mounts.join(', ')}; deploys mount nothing`));
  }
  if (x.sharesImageWith) {
    const why = `it runs the image of ${x.sharesImageWith}, likely with a command of its own (compose command:)`;
    out.push(t.at('    ', `${key}.command`, why));
  }
  return out;
}

export function composeText(p: Plan, t: Todos): string {
  const proj = p.project;
  const why =
    p.driver === 'compose'
      ? p.proxy
        ? '# The compose project: deploys read each service from it (`docker compose -p … -f … config` in directory).'
        : '# The compose project deploys run in: `docker compose -p … -f …` in directory, as the team runs it.'
      : '# The compose project the database runs in (backups run compose exec); the engine driver runs the app.';
  const image = `${p.services[0]?.image ?? 'ghcr.io/your-org/app'}:\${APP_VERSION}`;
  return [
    why,
    'compose:',
    proj?.directory
      ? `  directory: ${scalar(proj.directory)}`
      : `${t.at('  ', 'compose.directory', 'the directory of the compose files (no label says it)')}\n  directory: /opt/${p.app}`,
    ...(proj && proj.files.length > 0 ? [`  files: ${list(proj.files)}`] : []),
    ...(proj ? [`  project: ${scalar(proj.name)}`] : []),
    ...(proj?.envFile ? [`  env-file: ${scalar(proj.envFile)}`] : []),
    ...(p.composeCommand ? [`  command: ${list(p.composeCommand)}`] : []),
    t.at('  ', 'compose.version-env', 'that the compose file reads the tag from it', `: image: ${image}`),
    '  version-env: APP_VERSION',
  ].join('\n');
}

export function databaseText(p: Plan, t: Todos): string {
  const db = p.database;
  if (!db) return '# No PostgreSQL was found (no container, no cluster, nothing on 5432): no database section.';
  const via = db.via;
  const viaText =
    'compose-service' in via
      ? `{ compose-service: ${via['compose-service']} }`
      : 'container' in via
        ? `{ container: ${scalar(via.container)} }`
        : `{ host: ${via.host}${via.port === 5432 ? '' : `, port: ${via.port}`} }`;
  const name = /^[a-z]/.test(p.app) ? p.app : `_${p.app}`.slice(0, 63);
  return [
    'database:',
    '  engine: postgres',
    `  # Found: ${db.found}.`,
    `  via: ${viaText}`,
    t.at('  ', 'database.name', 'the database and the role the app uses (the survey never logs in)'),
    `  name: ${name}`,
    `  user: ${name}`,
    '  # The NAME of the variable that holds the password (set it from a secret), never the password itself.',
    '  password-env: DB_PASSWORD',
    '  backup:',
    t.at('    ', 'database.backup.directory', `a directory the deploy user can write on ${p.target.name}`),
    `    directory: /var/backups/${p.app}`,
    t.at(
      '  ',
      'database.migrate',
      'how deploys migrate the schema, if they do',
      ' (alembic, prisma, django, custom…):',
    ),
    `  # migrate: { tool: alembic, service: ${p.services[0]?.name ?? 'api'} }`,
  ].join('\n');
}
