import type { UpstreamFile, UpstreamServer } from './upstream-file.js';

/**
 * What the deploy, rollback and maintenance code asks of the nginx upstream in front of a service on one host: the
 * whole upstream of that host's own nginx (NginxUpstream), or that host's part of the upstream on the environment's
 * load balancer (HostShare). Addresses are as the host sees its replicas (`127.0.0.1:18001`).
 */
export interface UpstreamSwitch {
  /** The upstream file's bytes (undefined: none yet). */
  current(): Promise<string | undefined>;
  /** The file's bytes and the upstream's servers as this host's view has them. Throws UserError on a bad layout. */
  read(): Promise<{ text: string | undefined; file: UpstreamFile }>;
  /** Throws UserError (before anything changes) when the deploy user cannot write the upstream file. */
  assertWritable(): Promise<void>;
  /** The file `text` would become with `servers` as this view's servers (a dry run shows it). Pure but for checks. */
  render(text: string | undefined, servers: readonly UpstreamServer[], opts?: { sticky?: string }): string;
  /** Make `servers` this view's servers: write, test, reload, wait for the new workers. Nothing when already so. */
  set(servers: readonly UpstreamServer[], why: string, opts?: { sticky?: string }): Promise<void>;
  /** Put this view back as it was in `text` (a `current()`/`read()` taken before a change that failed). */
  restore(text: string | undefined, why: string): Promise<void>;
  /** Test and reload after a change to another file nginx reads (`before`: that file's old bytes, put back on failure). */
  reloadAfter(path: string, before: string | undefined, why: string): Promise<void>;
  /** The running nginx master and its workers. Throws UserError when it cannot be known. */
  master(): Promise<{ pid: number; workers: number[] }>;
}
