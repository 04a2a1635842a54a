import type {
  ContainerInfo,
  ContainerSpec,
  ContainerSummary,
  ExecInContainerOptions,
  ExecInContainerResult,
  ImageInfo,
  LogsOptions,
  PullOptions,
  PullResult,
} from '../../docker/types.js';

/** The part of the Docker Engine client the engine driver uses (the seam its tests and fakes implement). */
export interface EngineApi {
  pullImage(ref: string, opts?: PullOptions): Promise<PullResult>;
  inspectImage(ref: string): Promise<ImageInfo | undefined>;
  tagImage(source: string, repo: string, tag: string): Promise<void>;
  removeImage(ref: string, opts?: { force?: boolean }): Promise<void>;
  createContainer(spec: ContainerSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  stopContainer(id: string, graceSeconds: number): Promise<void>;
  removeContainer(id: string, opts?: { force?: boolean }): Promise<void>;
  listContainers(opts: { all?: boolean; labels?: Record<string, string> }): Promise<ContainerSummary[]>;
  inspectContainer(id: string): Promise<ContainerInfo>;
  containerLogs(id: string, opts?: LogsOptions): Promise<string>;
  /** Run argv in a running container (nginx's test and reload when nginx runs in one). */
  execInContainer(id: string, argv: readonly string[], opts?: ExecInContainerOptions): Promise<ExecInContainerResult>;
  /** Join a created container to one more network, with DNS aliases there. */
  connectNetwork(network: string, id: string, aliases?: string[]): Promise<void>;
  hasVolume(name: string): Promise<boolean>;
  hasNetwork(name: string): Promise<boolean>;
  /** The named volume, created with these labels when missing; true when it was created. */
  ensureVolume(name: string, labels: Record<string, string>): Promise<boolean>;
  /** The network, created with these labels when missing; true when it was created. */
  ensureNetwork(name: string, labels: Record<string, string>): Promise<boolean>;
  /** Waits until the container stops; its exit code. */
  waitContainer(id: string, opts?: { timeoutMs?: number; signal?: AbortSignal }): Promise<number>;
}
