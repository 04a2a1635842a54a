/**
 * The volumes and networks of a compose service as `compose config` prints them (docker-compose 1.29's short forms,
 * `docker compose` v2's long forms), by the real names the engine knows them by: `<project>_<key>` unless the top
 * level names them or marks them external. Part of reading a service into a container template (template.ts).
 */
import { UserError } from '../../core/errors.js';
import type { ComposeService } from './template.js';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const strList = (v: unknown): string[] | undefined =>
  v === undefined || v === null ? undefined : typeof v === 'string' ? [v] : (v as unknown[]).map(String);

interface NamedThing {
  name: string;
  external: boolean;
}

/** The real name of a top-level volume or network `key`: its `name`, its external name, or `<project>_<key>`. */
function realName(top: unknown, key: string, project: string): NamedThing {
  const def = isObj(top) ? top[key] : undefined;
  const d = isObj(def) ? def : {};
  const ext = d.external;
  const external = ext === true || isObj(ext);
  const extName = isObj(ext) && typeof ext.name === 'string' ? ext.name : undefined;
  const name = typeof d.name === 'string' ? d.name : (extName ?? (external ? key : `${project}_${key}`));
  return { name, external };
}

/** Volumes: binds as `source:/path[:ro]`, named volumes by their real names. */
export function volumesOf(
  svc: Obj,
  top: Obj,
  project: string,
  where: string,
): { binds: string[]; named: ComposeService['volumes'] } {
  const binds: string[] = [];
  const named: ComposeService['volumes'] = [];
  for (const v of (svc.volumes as unknown[] | undefined) ?? []) {
    let source: string;
    let target: string;
    let ro = false;
    let type: string;
    if (typeof v === 'string') {
      const [s = '', t, mode] = v.split(':');
      if (t === undefined)
        throw new UserError(
          `${where}.volumes: ${JSON.stringify(v)} has no source (anonymous volumes are per container)`,
        );
      [source, target, ro] = [s, t, (mode ?? '').split(',').includes('ro')];
      type = s.startsWith('/') || s.startsWith('.') || s.startsWith('~') ? 'bind' : 'volume';
    } else if (isObj(v)) {
      [source, target, ro, type] = [
        String(v.source ?? ''),
        String(v.target ?? ''),
        v.read_only === true,
        String(v.type ?? 'volume'),
      ];
    } else continue;
    if (type === 'volume' && source !== '') {
      const real = realName(top.volumes, source, project);
      named.push({ key: source, ...real });
      source = real.name;
    } else if (type !== 'bind' || source === '') {
      throw new UserError(
        `${where}.volumes: ${type} mount of ${target} is not carried into rolling replicas (bind mounts and named volumes are)`,
      );
    }
    binds.push(`${source}:${target}${ro ? ':ro' : ''}`);
  }
  return { binds, named };
}

/**
 * The networks of a service: network_mode as it is, or every network it joins (the project's default when it names
 * none), by real name, the first as the container's network mode, the others joined before start; on each the
 * replica answers to the service's name and the aliases the file gives (compose's own DNS names for it).
 */
export function networkOf(
  svc: Obj,
  top: Obj,
  project: string,
  name: string,
  where: string,
): { mode?: string; networks: ComposeService['networks']; aliases?: string[] } {
  if (typeof svc.network_mode === 'string') {
    if (svc.network_mode.startsWith('service:') || svc.network_mode.startsWith('container:')) {
      throw new UserError(
        `${where}.network_mode ${svc.network_mode}: replicas sharing one container's network cannot each have a port`,
      );
    }
    return { mode: svc.network_mode, networks: [] };
  }
  const given = svc.networks;
  const keys = given === undefined ? ['default'] : Array.isArray(given) ? given.map(String) : Object.keys(given as Obj);
  const aliases = new Set([name]);
  if (isObj(given)) {
    for (const def of Object.values(given)) {
      if (isObj(def)) for (const a of strList(def.aliases) ?? []) aliases.add(a);
    }
  }
  const networks = keys.map((key) => ({ key, ...realName(top.networks, key, project) }));
  return { mode: networks[0]?.name, networks, aliases: [...aliases] };
}
