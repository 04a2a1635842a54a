/**
 * DockerClient: the Engine API calls a deploy needs, over one negotiated connection pool (see connectDocker). Every
 * method takes optional CallOptions (signal, timeoutMs) on top of the client-wide signal and deadline. The calls live
 * by what they act on — containers.ts, images.ts, volumes-networks.ts, exec.ts, swarm.ts — and the client hands each
 * its connection.
 */
import * as containers from './containers.js';
import * as execCalls from './exec.js';
import type { DockerHttp } from './http.js';
import * as images from './images.js';
import { toDockerVersion } from './parse.js';
import * as swarm from './swarm.js';
import type { SwarmInfo, SwarmNode, SwarmSecret, SwarmService, SwarmServiceSpec, SwarmTask } from './swarm-types.js';
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
import * as volumesNetworks from './volumes-networks.js';

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

  // ── containers (containers.ts) ──

  /** POST /containers/create?name=… → the new container's id. */
  createContainer(spec: ContainerSpec, opts?: CallOptions): Promise<string> {
    return containers.createContainer(this.http, this.logger, spec, opts);
  }

  /** Starting a running container is not an error (Docker answers 304). */
  startContainer(id: string, opts?: CallOptions): Promise<void> {
    return containers.startContainer(this.http, id, opts);
  }

  /**
   * SIGTERM (or the image's STOPSIGNAL), then SIGKILL after `graceSeconds`. Stopping a stopped container is not an
   * error. The deadline covers the grace period.
   */
  stopContainer(id: string, graceSeconds: number, opts: CallOptions = {}): Promise<void> {
    return containers.stopContainer(this.http, id, graceSeconds, opts);
  }

  /** Docker answers 409 when the container is not running. */
  killContainer(id: string, signal?: string, opts?: CallOptions): Promise<void> {
    return containers.killContainer(this.http, id, signal, opts);
  }

  renameContainer(id: string, name: string, opts?: CallOptions): Promise<void> {
    return containers.renameContainer(this.http, id, name, opts);
  }

  /** `force` kills a running container first; `volumes` removes its anonymous volumes. */
  removeContainer(id: string, opts: CallOptions & { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    return containers.removeContainer(this.http, id, opts);
  }

  /** GET /containers/json; `labels` all must match (Docker's `label` filter). */
  listContainers(
    opts: CallOptions & { all?: boolean; labels?: Record<string, string> } = {},
  ): Promise<ContainerSummary[]> {
    return containers.listContainers(this.http, opts);
  }

  /** GET /containers/{id}/json; a missing container is a DockerApiError with isNotFound. */
  inspectContainer(id: string, opts?: CallOptions): Promise<ContainerInfo> {
    return containers.inspectContainer(this.http, id, opts);
  }

  /** inspectContainer, or undefined when there is no such container. */
  tryInspectContainer(id: string, opts?: CallOptions): Promise<ContainerInfo | undefined> {
    return containers.tryInspectContainer(this.http, id, opts);
  }

  // ── volumes and networks (volumes-networks.ts) ──

  /** Join container `id` to `network`, answering to `aliases` there (POST /networks/{network}/connect). */
  connectNetwork(network: string, id: string, aliases: string[] = [], opts?: CallOptions): Promise<void> {
    return volumesNetworks.connectNetwork(this.http, network, id, aliases, opts);
  }

  /** Whether the named volume exists (GET /volumes/{name}). */
  hasVolume(name: string, opts?: CallOptions): Promise<boolean> {
    return volumesNetworks.hasVolume(this.http, name, opts);
  }

  /** Whether the network exists (GET /networks/{name}). */
  hasNetwork(name: string, opts?: CallOptions): Promise<boolean> {
    return volumesNetworks.hasNetwork(this.http, name, opts);
  }

  /**
   * The named volume `name`, created (local driver, with `labels`) when it does not exist; an existing one is left as
   * it is, labels and all. Returns whether it was created. GET /volumes/{name}, POST /volumes/create.
   */
  ensureVolume(name: string, labels: Record<string, string>, opts?: CallOptions): Promise<boolean> {
    return volumesNetworks.ensureVolume(this.http, name, labels, opts);
  }

  /**
   * The network `name`, created (bridge driver, with `labels`) when it does not exist; an existing one is left as it
   * is. Returns whether it was created. GET /networks/{name}, POST /networks/create.
   */
  ensureNetwork(name: string, labels: Record<string, string>, opts?: CallOptions): Promise<boolean> {
    return volumesNetworks.ensureNetwork(this.http, name, labels, opts);
  }

  // ── logs, exec, wait ──

  /** The container's output, stdout and stderr interleaved. */
  async containerLogs(id: string, opts: LogsOptions = {}): Promise<string> {
    const { tty } = await this.inspectContainer(id, opts);
    return execCalls.containerLogs(this.http, id, tty, opts);
  }

  execInContainer(id: string, argv: readonly string[], opts?: ExecInContainerOptions): Promise<ExecInContainerResult> {
    return execCalls.execInContainer(this.http, id, argv, opts);
  }

  /** Block until the container stops (POST /containers/{id}/wait); its exit code. Long deadline. */
  waitContainer(id: string, opts?: CallOptions): Promise<number> {
    return containers.waitContainer(this.http, id, opts);
  }

  // ── swarm (a manager node: services, tasks, secrets; see swarm.ts) ──

  swarmInfo(opts?: CallOptions): Promise<SwarmInfo> {
    return swarm.swarmInfo(this.http, opts);
  }

  inspectService(ref: string, opts?: CallOptions): Promise<SwarmService | undefined> {
    return swarm.inspectService(this.http, ref, opts);
  }

  listServices(labels: Record<string, string>, opts?: CallOptions): Promise<SwarmService[]> {
    return swarm.listServices(this.http, labels, opts);
  }

  createService(spec: SwarmServiceSpec, opts?: CallOptions & { auth?: RegistryAuth }): Promise<string> {
    return swarm.createService(this.http, this.logger, spec, opts);
  }

  updateService(
    id: string,
    version: number,
    spec: SwarmServiceSpec,
    opts?: CallOptions & { auth?: RegistryAuth; rollback?: boolean },
  ): Promise<string[]> {
    return swarm.updateService(this.http, this.logger, id, version, spec, opts);
  }

  removeService(id: string, opts?: CallOptions): Promise<void> {
    return swarm.removeService(this.http, id, opts);
  }

  listTasks(serviceId: string, opts?: CallOptions): Promise<SwarmTask[]> {
    return swarm.listTasks(this.http, serviceId, opts);
  }

  listNodes(opts?: CallOptions): Promise<SwarmNode[]> {
    return swarm.listNodes(this.http, opts);
  }

  listSecrets(labels: Record<string, string>, opts?: CallOptions): Promise<SwarmSecret[]> {
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
}
