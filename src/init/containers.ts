/**
 * What a survey's containers say, one question each: an image's repository and tag, whether it is a datastore or a
 * proxy that deploys leave alone, where a container serves, which variables it sets itself, which compose project it
 * belongs to; and the names and free ports a proposal makes from them. Pure.
 */
import type { SurveyedContainer } from '../commands/survey.js';

export const LABEL = 'com.docker.compose.';
/** The config's image repository pattern (schema-services.ts). */
export const IMAGE_REPO =
  /^(?:[a-z0-9.-]+(?::\d{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const POSTGRES = /^(postgres|postgresql|postgis|timescaledb(-ha)?|pgvector)$/;
/** Images a deploy of the app leaves alone: datastores, brokers and proxies. */
const INFRA =
  /^(redis|valkey|keydb|memcached|mysql|mariadb|mongo|rabbitmq|nats|kafka|elasticsearch|opensearch|nginx|traefik|caddy|haproxy|envoy)$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]', '0.0.0.0']);

/** `ghcr.io/acme/api:1.4@sha256:…` → repository `ghcr.io/acme/api`, tag `1.4`. */
export function repoOf(image: string): { repo: string; tag?: string } {
  const ref = image.split('@')[0] as string;
  const m = /^(.*?)(?::([\w][\w.-]{0,127}))?$/.exec(ref);
  return { repo: m?.[1] ?? ref, tag: m?.[2] };
}
const baseName = (image: string): string => repoOf(image).repo.split('/').at(-1) ?? '';
export const isPostgres = (c: SurveyedContainer): boolean => POSTGRES.test(baseName(c.image));
export const isInfra = (c: SurveyedContainer): boolean => isPostgres(c) || INFRA.test(baseName(c.image));

/** Where a container serves now: a published port (127.0.0.1 first) or, with host networking, its port variable. */
export function servingPort(c: SurveyedContainer): { port?: number; hostPort?: number; portEnv?: string } {
  const local = (ip: string) => Number(ip === '127.0.0.1');
  const p = [...c.published].sort((a, b) => local(b.hostIp) - local(a.hostIp))[0];
  if (p) return { port: p.container, hostPort: p.host };
  if (c.network === 'host' && c.portEnv)
    return { port: c.portEnv.port, hostPort: c.portEnv.port, portEnv: c.portEnv.name };
  return {};
}

/** The variables a container sets that its image does not (the port variable with host networking aside). */
export function ownEnv(c: SurveyedContainer, imageEnv: ReadonlyMap<string, string[]> | undefined): string[] {
  const image = imageEnv?.get(c.imageId);
  if (!image) return [];
  const port = c.network === 'host' ? c.portEnv?.name : undefined;
  return c.envNames.filter((n) => !image.includes(n) && n !== port);
}

/** The port of an upstream server on the surveyed host (loopback, or its own address), else undefined. */
export function localPort(server: string, host: string): number | undefined {
  const m = /^(.*):(\d+)$/.exec(server);
  return m && (LOOPBACK.has(m[1] as string) || m[1] === host) ? Number(m[2]) : undefined;
}

/** A name that `re` accepts, made from `s` (lowercase, other characters to "-"), or undefined. */
export function nameFrom(s: string, re: RegExp): string | undefined {
  const n = s
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 63);
  return re.test(n) ? n : undefined;
}

/** `count` consecutive ports above `floor` that are not `taken` (then taken), or undefined. */
export function freeRange(floor: number, count: number, taken: Set<number>): [number, number] | undefined {
  let lo = floor + 1;
  while (lo + count - 1 <= 65535) {
    const clash = [...Array(count).keys()].map((i) => lo + i).findLast((p) => taken.has(p));
    if (clash === undefined) {
      for (let p = lo; p < lo + count; p++) taken.add(p);
      return [lo, lo + count - 1];
    }
    lo = clash + 1;
  }
  return undefined;
}

/** Running compose containers by project (one-off `compose run` containers and the toolkit's own left out). */
export function projectsOf(containers: readonly SurveyedContainer[]): Map<string, SurveyedContainer[]> {
  const projects = new Map<string, SurveyedContainer[]>();
  for (const c of containers) {
    const project = c.labels[`${LABEL}project`];
    if (!project || c.labels[`${LABEL}oneoff`] === 'True' || c.labels['io.runbook.app']) continue;
    projects.set(project, [...(projects.get(project) ?? []), c]);
  }
  return projects;
}
