/**
 * Docker's JSON answers mapped to this client's shapes, tolerant of missing fields (older engines omit some) so a
 * response never crashes the mapping. No I/O.
 */
import type { ContainerHealth, ContainerInfo, ContainerSummary, DockerVersion, ImageInfo } from './types.js';

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}
function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}
function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}
function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
function labels(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) if (typeof val === 'string') out[k] = val;
  return out;
}
const stripSlash = (name: string): string => name.replace(/^\//, '');

/** GET /version (unversioned) → the fields negotiation needs. */
export function parseVersionInfo(v: unknown): {
  apiVersion: string;
  minApiVersion?: string;
  engineVersion: string;
  os: string;
  arch: string;
} {
  const j = obj(v);
  const min = str(j.MinAPIVersion);
  return {
    apiVersion: str(j.ApiVersion),
    ...(min ? { minApiVersion: min } : {}),
    engineVersion: str(j.Version),
    os: str(j.Os),
    arch: str(j.Arch),
  };
}

export function toDockerVersion(v: unknown, apiVersion: string): DockerVersion {
  const info = parseVersionInfo(v);
  return {
    apiVersion,
    serverApiVersion: info.apiVersion,
    engineVersion: info.engineVersion,
    os: info.os,
    arch: info.arch,
  };
}

export function parseImage(v: unknown): ImageInfo {
  const j = obj(v);
  return {
    id: str(j.Id),
    repoTags: strings(j.RepoTags),
    repoDigests: strings(j.RepoDigests),
    labels: labels(obj(j.Config).Labels),
    created: str(j.Created),
  };
}

export function parseContainerSummary(v: unknown): ContainerSummary {
  const j = obj(v);
  const created = num(j.Created);
  return {
    id: str(j.Id),
    names: strings(j.Names).map(stripSlash),
    image: str(j.Image),
    imageId: str(j.ImageID),
    labels: labels(j.Labels),
    state: str(j.State),
    status: str(j.Status),
    created: created > 0 ? new Date(created * 1000).toISOString() : '',
  };
}

function parseHealth(v: unknown): ContainerHealth | undefined {
  if (v === null || v === undefined) return undefined;
  const j = obj(v);
  return {
    status: str(j.Status),
    failingStreak: num(j.FailingStreak),
    log: (Array.isArray(j.Log) ? j.Log : []).map((entry) => {
      const e = obj(entry);
      return { exitCode: num(e.ExitCode, -1), output: str(e.Output), start: str(e.Start), end: str(e.End) };
    }),
  };
}

export function parseContainer(v: unknown): ContainerInfo {
  const j = obj(v);
  const config = obj(j.Config);
  const state = obj(j.State);
  const health = parseHealth(state.Health);
  return {
    id: str(j.Id),
    name: stripSlash(str(j.Name)),
    image: str(config.Image),
    imageId: str(j.Image),
    labels: labels(config.Labels),
    env: strings(config.Env),
    state: {
      status: str(state.Status),
      running: state.Running === true,
      exitCode: num(state.ExitCode),
      startedAt: str(state.StartedAt),
      finishedAt: str(state.FinishedAt),
      pid: num(state.Pid),
      ...(health ? { health } : {}),
    },
    restartCount: num(j.RestartCount),
    networkMode: str(obj(j.HostConfig).NetworkMode),
    tty: config.Tty === true,
  };
}

/** GET /exec/{id}/json → whether it still runs and its exit code (null while running). */
export function parseExecInspect(v: unknown): { running: boolean; exitCode: number | null } {
  const j = obj(v);
  return { running: j.Running === true, exitCode: typeof j.ExitCode === 'number' ? j.ExitCode : null };
}
