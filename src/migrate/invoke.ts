import { randomBytes } from 'node:crypto';
import { composeRun } from '../commands/compose.js';
import { dockerRunArgv } from '../commands/docker-cli.js';
import type { Config, DatabaseConfig } from '../config/schema.js';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/log-types.js';
import type { EngineApi } from '../deploy/engine/api.js';
import type { ExecResult, Transport } from '../transports/types.js';
import { pgOptions } from './presets.js';

/**
 * The connection a migration tool gets: PG* variables, PGOPTIONS, PGAPPNAME, and the secrets kept off every command
 * line. `app` is the application_name its sessions carry (PGAPPNAME for libpq and node-postgres, `application_name`
 * in DATABASE_URL for drivers that read the URL), so a cancel can find and end them on the server.
 */
export interface ToolEnvironment {
  env: Record<string, string>;
  secretEnv: Record<string, string>;
  /** The application_name of the tool's sessions ('' when none was set). */
  app: string;
}

export function toolEnvironment(db: DatabaseConfig, password: string, app = ''): ToolEnvironment {
  const m = db.migrate;
  const via = db.via;
  const [host, port] =
    via.kind === 'host'
      ? [via.host, via.port]
      : via.kind === 'compose-service'
        ? [via['compose-service'], 5432]
        : [via.container, 5432];
  const env: Record<string, string> = {
    PGHOST: host,
    PGPORT: String(port),
    PGUSER: db.user,
    PGDATABASE: db.name,
    PGOPTIONS: pgOptions(m?.['lock-timeout'] ?? 5000, m?.['statement-timeout'] ?? 900_000),
    ...(app ? { PGAPPNAME: app } : {}),
  };
  const query = app ? `?application_name=${encodeURIComponent(app)}` : '';
  const url = `postgresql://${encodeURIComponent(db.user)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(db.name)}${query}`;
  return { env, secretEnv: { PGPASSWORD: password, DATABASE_URL: url }, app };
}

/** Where the tool runs: `compose run --rm <service>` or the primary target's shell (in `migrate.directory`). */
export interface Invocation {
  describe: string;
  run(argv: string[], opts: { quiet?: boolean; timeoutMs: number; signal?: AbortSignal }): Promise<ExecResult>;
  /** The exact argv the target receives for `argv` (for the dry-run plan). */
  argvFor(argv: string[]): { argv: string[]; cwd?: string };
}

/** For a one-off container through the Docker Engine API: the engine and the image tag to run. */
export interface OneOff {
  docker: EngineApi;
  version: string;
  log: Logger;
  name: string;
}

export function invocation(
  config: Config,
  db: DatabaseConfig,
  t: Transport,
  te: ToolEnvironment,
  targetEnv: Record<string, string>,
  oneOff?: OneOff,
): Invocation {
  const m = db.migrate;
  if (!m) throw new ConfigError('the config has no database.migrate section');
  const compose = config.compose;
  if (m.service && !compose) {
    const service = config.services?.[m.service];
    if (!service || !oneOff) {
      throw new ConfigError(
        `database.migrate.service (${m.service}) runs the tool in a one-off container of that service: it needs services.${m.service} and the input "version" (or a compose section, or migrate.directory to run on the host)`,
      );
    }
    return engineOneOff(`${service.image}:${oneOff.version}`, te, oneOff);
  }
  if (m.service && compose) {
    const names = [...Object.keys(te.env), ...Object.keys(te.secretEnv)];
    const argvFor = (argv: string[]) => ({
      argv: composeRun(compose, m.service as string, argv, names),
      cwd: compose.directory,
    });
    return {
      describe: `compose run --rm ${m.service}`,
      argvFor,
      run: (argv, o) => {
        const { argv: full, cwd } = argvFor(argv);
        return t.exec(full, { ...o, cwd, env: { ...targetEnv, ...te.env }, secretEnv: te.secretEnv });
      },
    };
  }
  const cwd = m.directory;
  return {
    describe: `${t.name}${cwd ? ` in ${cwd}` : ''}`,
    argvFor: (argv) => ({ argv, cwd }),
    run: (argv, o) => t.exec(argv, { ...o, cwd, env: { ...targetEnv, ...te.env }, secretEnv: te.secretEnv }),
  };
}

/** The tool in a one-off container of the service's image (host network), removed afterwards. */
function engineOneOff(image: string, te: ToolEnvironment, o: OneOff): Invocation {
  return {
    describe: `a one-off container of ${image}`,
    argvFor: (argv) => ({ argv: dockerRunArgv(image, argv, { network: 'host' }) }),
    run: async (argv, opts) => {
      // Like `docker run IMAGE argv`: the image's entry point (setup, then exec "$@") stays in charge.
      const id = await o.docker.createContainer({
        name: `${o.name}-${randomBytes(4).toString('hex')}`,
        image,
        cmd: argv,
        env: { ...te.env, ...te.secretEnv },
        networkMode: 'host',
        restartPolicy: 'no',
      });
      try {
        await o.docker.startContainer(id);
        const code = await o.docker.waitContainer(id, { timeoutMs: opts.timeoutMs, signal: opts.signal });
        const output = await o.docker.containerLogs(id);
        if (!opts.quiet && output !== '') o.log.remote(image, 'stdout', output.endsWith('\n') ? output : `${output}\n`);
        return { code, stdout: output, stderr: output };
      } finally {
        await o.docker.removeContainer(id, { force: true }).catch(() => undefined);
      }
    },
  };
}
