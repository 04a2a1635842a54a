/** When a deploy pulls the image it starts: `always`, `missing` or `never`, per service; the default by its name. */

export const PULL_POLICIES = ['always', 'missing', 'never'] as const;
export type PullPolicy = (typeof PULL_POLICIES)[number];

/**
 * Whether `image` (a repository, with or without a tag) names a registry host: its first path component has a `.`
 * or a `:`, or is `localhost` (`ghcr.io/acme/api`, `127.0.0.1:5000/app`). `app` and `acme/app` do not.
 */
export function namesRegistryHost(image: string): boolean {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
}

export interface PullDecision {
  policy: PullPolicy;
  /** Where the policy comes from, for the log: `services.web.pull`, `default for a registry image`, … */
  why: string;
}

/**
 * The pull policy of service `name`: its `pull` key; else, with the compose driver, the deprecated `compose.pull`
 * (true → always, false → missing); else `always` for an image that names a registry host (a re-pushed tag such as
 * `staging` is fetched again) and `missing` for any other name (built or loaded on the host, or a Docker Hub name).
 */
export function pullDecision(
  name: string,
  service: { image: string; pull?: PullPolicy },
  composePull?: boolean,
): PullDecision {
  if (service.pull) return { policy: service.pull, why: `services.${name}.pull` };
  if (composePull !== undefined)
    return { policy: composePull ? 'always' : 'missing', why: `compose.pull: ${composePull} (deprecated)` };
  return namesRegistryHost(service.image)
    ? { policy: 'always', why: 'default for an image that names a registry host' }
    : { policy: 'missing', why: 'default for an image that names no registry host' };
}

/** The warning `compose.pull` earns when it is set: what to write instead. */
export function composePullDeprecation(name: string, composePull: boolean): string {
  return `compose.pull is deprecated: set services.${name}.pull: ${composePull ? 'always' : 'missing'} instead (always | missing | never)`;
}
