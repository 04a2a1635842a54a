/**
 * The upstream a canary step writes, pure: the stable servers and the canary's with nginx `weight=` so that the
 * canary gets `weight` % of requests, the balancing directive that keeps a client on its version (sticky), and the
 * http-level route file that sends requests carrying a header to the canary.
 * nginx facts (ngx_http_upstream_module): `weight=N` (default 1) shares requests in proportion; `hash KEY consistent`
 * is ketama hashing, where a server's points grow with its weight, so raising the canary's weight keeps the clients
 * it already has (only stable clients move to it).
 */
import type { CanaryConfig } from '../../config/schema-progressive.js';
import type { UpstreamServer } from '../../proxy/upstream-file.js';

/** Parameters a weighted server must not carry twice. */
const OWN = /^(weight=|down$|backup$)/;

/**
 * The servers for a canary `weight` (0–100): each canary server `weight × stable.length`, each stable server
 * `(100 − weight) × canary.length`, so the canary's share is exactly weight % and the figures only grow (canary) or
 * shrink (stable) from step to step (no reduction by a common divisor, which would reshuffle a consistent hash). At 0
 * the canary is left out, at 100 the stable servers. Stable servers keep their own parameters but `weight=`.
 */
export function weightedServers(
  stable: readonly UpstreamServer[],
  canary: readonly UpstreamServer[],
  weight: number,
): UpstreamServer[] {
  if (weight <= 0 || canary.length === 0) return stable.map((s) => ({ ...s }));
  if (weight >= 100 || stable.length === 0) return canary.map((s) => ({ ...s }));
  const strip = (s: UpstreamServer): UpstreamServer =>
    s.params === undefined
      ? { address: s.address }
      : { address: s.address, params: s.params.filter((p) => !OWN.test(p)) };
  return [
    ...stable.map((s) => ({ ...strip(s), weight: (100 - weight) * canary.length })),
    ...canary.map((s) => ({ ...strip(s), weight: weight * stable.length })),
  ];
}

/** `$http_x_user_id` for `X-User-Id` (nginx's variable for a request header). */
export function headerVariable(header: string): string {
  return `$http_${header.toLowerCase().replaceAll('-', '_')}`;
}

/** The balancing directive for `sticky` (without the `;`): `hash $cookie_session consistent`, … */
export function stickyDirective(sticky: CanaryConfig['sticky']): string | undefined {
  if (!sticky) return undefined;
  if ('cookie' in sticky) return `hash $cookie_${sticky.cookie} consistent`;
  if ('header' in sticky) return `hash ${headerVariable(sticky.header)} consistent`;
  return 'hash $remote_addr consistent';
}

/** The upstream a route sends header-carrying requests to: `<upstream>_canary`; the variable: `$<upstream>_pick`. */
export function routeNames(upstream: string): { canary: string; variable: string } {
  return { canary: `${upstream}_canary`, variable: `$${upstream}_pick` };
}

/**
 * The http-level route file: a `map` from the header to the upstream to use, and `upstream <name>_canary` listing
 * `servers` (the canary's while one runs; the live release's otherwise, so a request with the header is still served).
 * The site proxies with `proxy_pass http://$<upstream>_pick;` (README: canary route).
 */
export function routeFileText(upstream: string, header: string, servers: readonly UpstreamServer[]): string {
  const { canary, variable } = routeNames(upstream);
  const lines =
    servers.length > 0
      ? servers.map((s) => `    server ${[s.address, ...(s.params ?? [])].join(' ')};`)
      : ['    server 127.0.0.1:9 down;'];
  return `# runbook-actions: requests with ${header} reach the canary of upstream ${upstream} (rewritten by each canary)
map ${headerVariable(header)} ${variable} {
    default ${upstream};
    "~." ${canary};
}
upstream ${canary} {
${lines.join('\n')}
}
`;
}
