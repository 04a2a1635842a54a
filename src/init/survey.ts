/**
 * Reading a server a team set up by hand, for `runbook init --from-ssh`: the SSH user and its groups, the Docker
 * engine and its running containers (compose labels, images, ports, HEALTHCHECKs), compose's version, nginx's files
 * and upstreams, the listening TCP ports and PostgreSQL's clusters. Read only: every command is an argv of
 * commands/survey.ts (or `cat`/`ls` of nginx's files); environment values are never read except port variables.
 * Each part is optional: a missing tool or an unreadable file is a note, not a failure.
 */

import { dockerServerVersionArgv } from '../commands/docker-cli.js';
import {
  dockerImageEnvArgv,
  dockerInspectSurveyArgv,
  dockerPsArgv,
  listeningArgv,
  nginxMasterConfs,
  type PgCluster,
  parseDockerPs,
  parseImageEnv,
  parseListening,
  parsePgClusters,
  parseProcNetTcp,
  parseSurveyInspect,
  pgClustersArgv,
  processListArgv,
  procNetTcpArgv,
  type SurveyedContainer,
  userGroupsArgv,
  userIdArgv,
} from '../commands/survey.js';
import { COMPOSE_CANDIDATES, composeVersionArgv } from '../commands/target-facts.js';
import { isHost } from '../config/fields.js';
import { ConfigError } from '../core/errors.js';
import { type NginxSurvey, readNginxTree } from './nginx-tree.js';
import { DEFAULT_NGINX_CONF } from './plan.js';
import { failureText, notInstalled, type Probe } from './probe.js';

/** `user@host[:port]`, as the `from-ssh` input gives it. */
export interface SshAddress {
  user: string;
  host: string;
  port: number;
}

const USER = /^[a-z_][a-z0-9_.-]{0,31}$/i;
const FORM = 'expected user@host or user@host:port (an IPv6 address in brackets: user@[2001:db8::5]:22)';

/** Parse `user@host[:port]`; ConfigError naming the input when it is not one. */
export function parseSshAddress(text: string): SshAddress {
  const m = /^([^@\s]+)@(?:\[([^\]]+)\]|([^:\s]+))(?::(\d{1,5}))?$/.exec(text.trim());
  const bare = /^([^@\s]+)@([0-9A-Fa-f:]+)$/.exec(text.trim()); // an IPv6 address without a port
  const user = m?.[1] ?? bare?.[1] ?? '';
  const host = m?.[2] ?? m?.[3] ?? bare?.[2] ?? '';
  const port = Number(m?.[4] ?? 22);
  if (!USER.test(user)) throw new ConfigError(`input "from-ssh": ${JSON.stringify(text)}: ${FORM}`);
  if (!isHost(host)) throw new ConfigError(`input "from-ssh": ${JSON.stringify(host)} is not a host name or address`);
  if (!(port >= 1 && port <= 65535)) throw new ConfigError(`input "from-ssh": port ${port} is not 1-65535`);
  return { user, host, port };
}

export interface ServerSurvey {
  address: SshAddress;
  /** `id -u` says 0; undefined when `id` did not answer. */
  root?: boolean;
  /** `id -Gn`. */
  groups?: string[];
  /** The engine, when it answered: its version, its running containers and the variables their images set. */
  docker?: { version: string; containers: SurveyedContainer[]; imageEnv: Map<string, string[]> };
  /** The docker CLI is not installed (else, when `docker` is undefined, the engine did not answer the user). */
  dockerMissing?: boolean;
  /** docker is installed but no engine answered where it looked (not a permission problem). */
  dockerUnreachable?: boolean;
  /** The first compose that answers: `[docker, compose]` or `[docker-compose]`. */
  compose?: { command: string[]; version: string };
  nginx?: NginxSurvey;
  /** Listening TCP ports (`ss -ltnH`, else /proc/net/tcp). */
  listening?: number[];
  /** `pg_lsclusters`, when it is installed. */
  clusters?: PgCluster[];
  /** What could not be read, and why. */
  notes: string[];
}

export interface SurveyOptions {
  /** nginx.conf to start from (default /etc/nginx/nginx.conf). */
  nginxConf: string;
  /** The Docker socket when it is not the default one (DOCKER_HOST for the docker CLI). */
  dockerSocket?: string;
}

/** Containers inspected per `docker inspect` (an argv stays far below ARG_MAX). */
const INSPECT_BATCH = 50;

/** Read the server through `probe`. Throws only when the connection fails; everything else becomes a note. */
export async function surveyServer(probe: Probe, address: SshAddress, o: SurveyOptions): Promise<ServerSurvey> {
  // Each part notes into its own list, joined in this order: the parts run at once, the notes read the same.
  const userNotes: string[] = [];
  const dockerNotes: string[] = [];
  const composeNotes: string[] = [];
  const portNotes: string[] = [];
  const pgNotes: string[] = [];
  const nginxNotes: string[] = [];
  const survey: ServerSurvey = { address, notes: [] };
  const dockerEnv = o.dockerSocket ? { DOCKER_HOST: `unix://${o.dockerSocket}` } : undefined;

  const readUser = async () => {
    const [uid, groups] = await Promise.all([probe(userIdArgv()), probe(userGroupsArgv())]);
    if (uid.code === 0) survey.root = uid.stdout.trim() === '0';
    if (groups.code === 0) survey.groups = groups.stdout.trim().split(/\s+/).filter(Boolean);
    else userNotes.push(`id -Gn: ${failureText(groups)}`);
  };

  const readDocker = async () => {
    const version = await probe(dockerServerVersionArgv(), { env: dockerEnv });
    if (version.code !== 0) {
      survey.dockerMissing = notInstalled(version);
      // Permission denied: the user may not use the socket. Otherwise no engine answers where docker looked.
      survey.dockerUnreachable = !survey.dockerMissing && !/permission denied/i.test(failureText(version));
      dockerNotes.push(
        notInstalled(version)
          ? 'docker is not installed: no containers to read'
          : `docker does not answer ${address.user} (${failureText(version)}): no containers read`,
      );
      return;
    }
    const ps = await probe(dockerPsArgv(), { env: dockerEnv });
    if (ps.code !== 0) {
      dockerNotes.push(`docker ps: ${failureText(ps)}`);
      return;
    }
    const ids = parseDockerPs(ps.stdout);
    const containers: SurveyedContainer[] = [];
    for (let i = 0; i < ids.length; i += INSPECT_BATCH) {
      const r = await probe(dockerInspectSurveyArgv(ids.slice(i, i + INSPECT_BATCH)), { env: dockerEnv });
      // A container that stopped between ps and inspect fails the batch's exit code but not the others' lines.
      if (r.code !== 0 && r.stdout.trim() === '') dockerNotes.push(`docker inspect: ${failureText(r)}`);
      containers.push(...parseSurveyInspect(r.stdout));
    }
    // Which variables the images set, so a container's own (compose `environment:`, env files) are known by name.
    const imageIds = [...new Set(containers.map((c) => c.imageId).filter((id) => id !== ''))];
    const images = imageIds.length > 0 ? await probe(dockerImageEnvArgv(imageIds), { env: dockerEnv }) : undefined;
    if (images && images.code !== 0 && images.stdout.trim() === '')
      dockerNotes.push(`docker image inspect: ${failureText(images)}`);
    const imageEnv = images ? parseImageEnv(images.stdout) : new Map<string, string[]>();
    survey.docker = { version: version.stdout.trim(), containers, imageEnv };
  };

  const readCompose = async () => {
    for (const command of COMPOSE_CANDIDATES) {
      const r = await probe(composeVersionArgv(command), { env: dockerEnv });
      const version = r.stdout.trim().replace(/^v/, '');
      if (r.code === 0 && /^\d+\.\d+/.test(version)) {
        survey.compose = { command: [...command], version };
        return;
      }
    }
    composeNotes.push('neither docker compose nor docker-compose answers');
  };

  const readListening = async () => {
    const ss = await probe(listeningArgv());
    if (ss.code === 0) {
      survey.listening = parseListening(ss.stdout);
      return;
    }
    const proc = await probe(procNetTcpArgv());
    if (proc.stdout.trim() !== '') survey.listening = parseProcNetTcp(proc.stdout);
    else portNotes.push(`listening ports unknown: ss (${failureText(ss)}) and /proc/net/tcp (${failureText(proc)})`);
  };

  const readClusters = async () => {
    const r = await probe(pgClustersArgv());
    if (r.code === 0) survey.clusters = parsePgClusters(r.stdout);
    else if (notInstalled(r)) pgNotes.push('pg_lsclusters is not installed (no Debian PostgreSQL on the host)');
    else pgNotes.push(`pg_lsclusters: ${failureText(r)}`);
  };

  const readNginx = async () => {
    // nginx started with its own -c: the running master names the config it reads (unless one was given).
    let conf = o.nginxConf;
    if (conf === DEFAULT_NGINX_CONF) {
      const ps = await probe(processListArgv());
      const masters = ps.code === 0 ? nginxMasterConfs(ps.stdout) : [];
      if (masters[0] !== undefined) {
        conf = masters[0];
        nginxNotes.push(
          `nginx: the running master reads ${conf}${masters.length > 1 ? ` (also running: ${masters.slice(1).join(', ')}; choose with --input nginx-conf=PATH)` : ''}`,
        );
      }
    }
    survey.nginx = await readNginxTree(probe, conf, nginxNotes);
    if (!survey.nginx) nginxNotes.push(`nginx: ${conf} could not be read, so no upstream was found`);
  };

  await Promise.all([readUser(), readDocker(), readCompose(), readListening(), readClusters(), readNginx()]);
  survey.notes.push(...userNotes, ...dockerNotes, ...composeNotes, ...nginxNotes, ...portNotes, ...pgNotes);
  return survey;
}
