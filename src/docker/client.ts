/**
 * DockerClient: the Engine API calls a deploy needs, over one negotiated connection pool (see connectDocker). Every
 * method takes optional CallOptions (signal, timeoutMs) on top of the client-wide signal and deadline.
 */
import { isNotFound } from './errors.js';
import * as execCalls from './exec.js';
import type { DockerHttp } from './http.js';
import * as images from './images.js';
import { parseContainer, parseContainerSummary, toDockerVersion } from './parse.js';
import * as swarm from './swarm.js';
import type {
  CallOptions,
  ContainerInfo,
  ContainerSpec,
  ContainerSummary,
  DockerVersion,
  ExecInContainerOptions,
  ExecInContainerResult,
  ImageInfo,
  LogsOptions,
  PullOptions,
  PullResult,
  RegistryAuth,
} from './types.js';
import { createContainerBody, filtersJson, labelFilter, pathRef } from './wire.js';

/** Extra time over the stop grace period for Docker to kill and report back. */
const STOP_SLACK_MS = 30_000;

export class DockerClient {
  private closing: Promise<void> | undefined;

  constructor(
    private readonly http: DockerHttp,
    /** What the daemon reported at connect time, with the negotiated API version. */
    readonly server: DockerVersion,
  ) {}

  /** The endpoint's name in messages, e.g. `unix:///var/run/docker.sock`. */
  get label(): string {
    return this.http.label;
  }

  /** The negotiated API version, e.g. `1.41`. */
  get apiVersion(): string {
    return this.server.apiVersion;
  }

  /** GET /v1.xx/version, fresh. */
  async version(opts?: CallOptions): Promise<DockerVersion> {
    return toDockerVersion(await this.http.json<unknown>({ method: 'GET', path: '/version' }, opts), this.apiVersion);
  }

  // ── images ──

  pullImage(ref: string, opts?: PullOptions): Promise<PullResult> {
    return images.pullImage(this.http, this.logger, ref, opts);
  }

  inspectImage(ref: string, opts?: CallOptions): Promise<ImageInfo | undefined> {
    return images.inspectImage(this.http, ref, opts);
  }

  tagImage(source: string, repo: string, tag: string, opts?: CallOptions): Promise<void> {
    return images.tagImage(this.http, source, repo, tag, opts);
  }

  removeImage(ref: string, opts?: CallOptions & { force?: boolean; noPrune?: boolean }): Promise<void> {
    return images.removeImage(this.http, ref, opts);
  }

  // ── containers ──

  /** POST /containers/create?name=… → the new container's id. */
  async createContainer(spec: ContainerSpec, opts?: CallOptions): Promise<string> {
    const body = createContainerBody(spec);
    const created = await this.http.json<{ Id?: string; Warnings?: string[] | null }>(
      {
        method: 'POST',
        path: '/containers/create',
        query: { name: spec.name },
        body,
        context: `creating container ${spec.name}`,
      },
      opts,
    );
    for (const warning of created?.Warnings ?? []) this.logger.warn(`docker: creating ${spec.name}: ${warning}`);
    if (!created?.Id) throw new Error(`Docker created ${spec.name} but returned no id`);
    return created.Id;
  }

  /** Starting a running container is not an error (Docker answers 304). */
  async startContainer(id: string, opts?: CallOptions): Promise<void> {
    await this.http.send(
      { method: 'POST', path: `${this.container(id)}/start`, okStatuses: [304], context: `starting ${id}` },
      opts,
    );
  }

  /**
   * SIGTERM (or the image's STOPSIGNAL), then SIGKILL after `graceSeconds`. Stopping a stopped container is not an
   * error. The deadline covers the grace period.
   */
  async stopContainer(id: string, graceSeconds: number, opts: CallOptions = {}): Promise<void> {
    const t = Math.max(0, Math.floor(graceSeconds));
    await this.http.send(
      {
        method: 'POST',
        path: `${this.container(id)}/stop`,
        query: { t },
        okStatuses: [304],
        context: `stopping ${id}`,
      },
      { ...opts, timeoutMs: opts.timeoutMs ?? t * 1000 + STOP_SLACK_MS },
    );
  }

  /** Docker answers 409 when the container is not running. */
  async killContainer(id: string, signal?: string, opts?: CallOptions): Promise<void> {
    await this.http.send(
      { method: 'POST', path: `${this.container(id)}/kill`, query: { signal }, context: `killing ${id}` },
      opts,
    );
  }

  async renameContainer(id: string, name: string, opts?: CallOptions): Promise<void> {
    await this.http.send(
      { method: 'POST', path: `${this.container(id)}/rename`, query: { name }, context: `renaming ${id} to ${name}` },
      opts,
    );
  }

  /** `force` kills a running container first; `volumes` removes its anonymous volumes. */
  async removeContainer(id: string, opts: CallOptions & { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    await this.http.send(
      {
        method: 'DELETE',
        path: this.container(id),
        query: { force: opts.force, v: opts.volumes },
        context: `removing container ${id}`,
      },
      opts,
    );
  }

  /** GET /containers/json; `labels` all must match (Docker's `label` filter). */
  async listContainers(
    opts: CallOptions & { all?: boolean; labels?: Record<string, string> } = {},
  ): Promise<ContainerSummary[]> {
    const filters = filtersJson({ label: labelFilter(opts.labels) });
    const raw = await this.http.json<unknown>(
      { method: 'GET', path: '/containers/json', query: { all: opts.all, filters } },
      opts,
    );
    return (Array.isArray(raw) ? raw : []).map(parseContainerSummary);
  }

  /** GET /containers/{id}/json; a missing container is a DockerApiError with isNotFound. */
  async inspectContainer(id: string, opts?: CallOptions): Promise<ContainerInfo> {
    return parseContainer(await this.http.json<unknown>({ method: 'GET', path: `${this.container(id)}/json` }, opts));
  }

  /** inspectContainer, or undefined when there is no such container. */
  async tryInspectContainer(id: string, opts?: CallOptions): Promise<ContainerInfo | undefined> {
    try {
      return await this.inspectContainer(id, opts);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  // ── volumes and networks ──

  /** Join container `id` to `network`, answering to `aliases` there (POST /networks/{network}/connect). */
  async connectNetwork(network: string, id: string, aliases: string[] = [], opts?: CallOptions): Promise<void> {
    await this.http.send(
      {
        method: 'POST',
        path: `/networks/${encodeURIComponent(network)}/connect`,
        body: { Container: id, EndpointConfig: aliases.length > 0 ? { Aliases: aliases } : {} },
        context: `connecting ${id.slice(0, 12)} to network ${network}`,
      },
      opts,
    );
  }

  /** Whether the named volume exists (GET /volumes/{name}). */
  async hasVolume(name: string, opts?: CallOptions): Promise<boolean> {
    const path = `/volumes/${encodeURIComponent(name)}`;
    return (await this.http.send({ method: 'GET', path, okStatuses: [404] }, opts)) !== 404;
  }

  /** Whether the network exists (GET /networks/{name}). */
  async hasNetwork(name: string, opts?: CallOptions): Promise<boolean> {
    const path = `/networks/${encodeURIComponent(name)}`;
    return (await this.http.send({ method: 'GET', path, okStatuses: [404] }, opts)) !== 404;
  }

  /**
   * The named volume `name`, created (local driver, with `labels`) when it does not exist; an existing one is left as
   * it is, labels and all. Returns whether it was created. GET /volumes/{name}, POST /volumes/create.
   */
  async ensureVolume(name: string, labels: Record<string, string>, opts?: CallOptions): Promise<boolean> {
    const path = `/volumes/${encodeURIComponent(name)}`;
    if ((await this.http.send({ method: 'GET', path, okStatuses: [404] }, opts)) !== 404) return false;
    await this.http.json(
      {
        method: 'POST',
        path: '/volumes/create',
        body: { Name: name, Labels: labels },
        context: `creating volume ${name}`,
      },
      opts,
    );
    return true;
  }

  /**
   * The network `name`, created (bridge driver, with `labels`) when it does not exist; an existing one is left as it
   * is. Returns whether it was created. GET /networks/{name}, POST /networks/create.
   */
  async ensureNetwork(name: string, labels: Record<string, string>, opts?: CallOptions): Promise<boolean> {
    if (await this.hasNetwork(name, opts)) return false;
    await this.http.json(
      {
        method: 'POST',
        path: '/networks/create',
        body: { Name: name, Labels: labels, CheckDuplicate: true },
        context: `creating network ${name}`,
      },
      opts,
    );
    return true;
  }

  /** The container's output, stdout and stderr interleaved. */
  async containerLogs(id: string, opts: LogsOptions = {}): Promise<string> {
    const { tty } = await this.inspectContainer(id, opts);
    return execCalls.containerLogs(this.http, id, tty, opts);
  }

  execInContainer(id: string, argv: readonly string[], opts?: ExecInContainerOptions): Promise<ExecInContainerResult> {
    return execCalls.execInContainer(this.http, id, argv, opts);
  }

  /** Block until the container stops (POST /containers/{id}/wait); its exit code. Long deadline. */
  async waitContainer(id: string, opts?: CallOptions): Promise<number> {
    const raw = await this.http.json<{ StatusCode?: number; Error?: { Message?: string } | null }>(
      {
        method: 'POST',
        path: `${this.container(id)}/wait`,
        query: { condition: 'not-running' },
        long: true,
        context: `waiting for ${id}`,
      },
      opts,
    );
    return typeof raw?.StatusCode === 'number' ? raw.StatusCode : -1;
  }

  // ── swarm (a manager node: services, tasks, secrets; see swarm.ts) ──

  swarmInfo(opts?: CallOptions): Promise<swarm.SwarmInfo> {
    return swarm.swarmInfo(this.http, opts);
  }

  inspectService(ref: string, opts?: CallOptions): Promise<swarm.SwarmService | undefined> {
    return swarm.inspectService(this.http, ref, opts);
  }

  listServices(labels: Record<string, string>, opts?: CallOptions): Promise<swarm.SwarmService[]> {
    return swarm.listServices(this.http, labels, opts);
  }

  createService(spec: swarm.SwarmServiceSpec, opts?: CallOptions & { auth?: RegistryAuth }): Promise<string> {
    return swarm.createService(this.http, this.logger, spec, opts);
  }

  updateService(
    id: string,
    version: number,
    spec: swarm.SwarmServiceSpec,
    opts?: CallOptions & { auth?: RegistryAuth; rollback?: boolean },
  ): Promise<string[]> {
    return swarm.updateService(this.http, this.logger, id, version, spec, opts);
  }

  removeService(id: string, opts?: CallOptions): Promise<void> {
    return swarm.removeService(this.http, id, opts);
  }

  listTasks(serviceId: string, opts?: CallOptions): Promise<swarm.SwarmTask[]> {
    return swarm.listTasks(this.http, serviceId, opts);
  }

  listNodes(opts?: CallOptions): Promise<swarm.SwarmNode[]> {
    return swarm.listNodes(this.http, opts);
  }

  listSecrets(labels: Record<string, string>, opts?: CallOptions): Promise<swarm.SwarmSecret[]> {
    return swarm.listSecrets(this.http, labels, opts);
  }

  createSecret(name: string, value: string, labels: Record<string, string>, opts?: CallOptions): Promise<string> {
    return swarm.createSecret(this.http, name, value, labels, opts);
  }

  removeSecret(id: string, opts?: CallOptions): Promise<void> {
    return swarm.removeSecret(this.http, id, opts);
  }

  /** Close the connections (in-flight calls get a moment to finish, then are cut). Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const dispatcher = this.http.dispatcher;
      const timer = setTimeout(() => void dispatcher.destroy().catch(() => {}), 1000);
      try {
        await dispatcher.close();
      } catch {
        // cut by the timer
      } finally {
        clearTimeout(timer);
      }
    })();
    return this.closing;
  }

  private get logger() {
    return this.http.logger;
  }

  private container(id: string): string {
    return `/containers/${pathRef(id, 'container id')}`;
  }
}
