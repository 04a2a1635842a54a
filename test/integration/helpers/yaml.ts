/** Fragments of runbook.yml that many integration tests write: one place for their shape. */
import { writeFileSync } from 'node:fs';
import { type SandboxNginx, sandboxPart, sandboxSsh } from './sandbox.js';

/** A flow-style YAML list of strings, each JSON-quoted. */
export const yamlList = (a: readonly string[]): string => `[${a.map((x) => JSON.stringify(x)).join(', ')}]`;

/**
 * Make the sandbox nginx's upstream a site nothing serves yet (the placeholder server), as a test's environment
 * starts: otherwise the first deploy takes over the replicas the previous test left in it. Call once per
 * environment, before its first deploy (not per config variant: a variant may be deployed over a serving site).
 */
export function freshSandboxUpstream(nginx: SandboxNginx): void {
  writeFileSync(nginx.upstreamFile, '# a fresh site: nothing serves yet\nserver 127.0.0.1:9 down;\n');
}

/** `proxy: { nginx: … }` for the sandbox nginx, indented to sit under `strategy:`. */
export function nginxProxyYaml(nginx: SandboxNginx): string {
  return `  proxy:
    nginx:
      upstream-file: ${nginx.upstreamFile}
      upstream: ${nginx.upstream}
      test: ${yamlList(nginx.test)}
      reload: ${yamlList(nginx.reload)}
      pid-file: ${nginx.pidFile}
`;
}

export interface DatabaseYaml {
  host?: string;
  port: number;
  name: string;
  user: string;
  /** The `backup:` value, e.g. `{ directory: /x }` or a nested block starting with a newline. */
  backup: string;
}

/** `database:` for the sandbox PostgreSQL, the password named by DB_PASSWORD; more keys may follow (migrate:). */
export function databaseYaml(d: DatabaseYaml): string {
  return `database:
  engine: postgres
  via: { host: ${d.host ?? '127.0.0.1'}, port: ${d.port} }
  name: ${d.name}
  user: ${d.user}
  password-env: DB_PASSWORD
  backup: ${d.backup}
`;
}

/** `app:` and the `sandbox` environment with one local target and its state-dir: the head of most test configs. */
export function localEnvYaml(o: { stateDir: string; target?: string; app?: string }): string {
  return `app: ${o.app ?? 'shop'}
environments:
  sandbox:
    targets: [{ name: ${o.target ?? 'db1'}, local: true }]
    state-dir: ${o.stateDir}
`;
}

/** The sandbox sshd as target web1 with the sandbox Docker socket (flow YAML); `port` for a proxy in front of it. */
export function sshTargetYaml(o: { port?: number; options?: string } = {}): string {
  const ssh = sandboxSsh();
  const more = o.options ? `, ${o.options}` : '';
  return `{ name: web1, ssh: { host: 127.0.0.1, port: ${o.port ?? ssh.port}, user: ${ssh.user}${more} }, docker-socket: ${sandboxPart('docker').socket} }`;
}
