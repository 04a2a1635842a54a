/**
 * The Docker Engine API in memory (implements EngineApi): images with tags and digests, containers with labels,
 * state and health. Every call is recorded as one line, containers by name: `createContainer shop-…-0`,
 * `startContainer shop-…-0`, `stopContainer shop-…-0 10`, `removeContainer shop-…-0 force`, `pullImage shop/web:v2`.
 * What a container does once started (its health, its HTTP answer, whether it exits) comes from `behaviour`.
 */
import { createHash } from 'node:crypto';
import type { EngineApi } from '../../../src/deploy/engine/api.js';
import type {
  ContainerInfo,
  ContainerSpec,
  ContainerSummary,
  ExecInContainerResult,
  ImageInfo,
  PullOptions,
  PullResult,
} from '../../../src/docker/types.js';
import type { HttpReply } from './recording-transport.js';

/** What a started container does. Default: healthy, answers 200 `{"status":"ok"}`, keeps running. */
export interface Behaviour {
  /** The image HEALTHCHECK verdict (`container: true` health). */
  health?: 'healthy' | 'unhealthy' | 'starting';
  http?: HttpReply;
  /** Exits right after starting, with this code. */
  exits?: number;
  logs?: string;
}

export interface FakeContainer {
  id: string;
  name: string;
  image: string;
  imageId: string;
  /** The tags its image had when the container was created (it may be created from an image id). */
  tags: string[];
  labels: Record<string, string>;
  env: Record<string, string>;
  cmd?: string[];
  state: 'created' | 'running' | 'exited';
  exitCode: number;
  startedAt: string;
  spec: ContainerSpec;
}

interface FakeImage {
  id: string;
  repoTags: string[];
  repoDigests: string[];
}

/** Verbs that change the engine (or fetch from a registry): what `changes()` keeps. */
const CHANGING = new Set([
  'pullImage',
  'tagImage',
  'removeImage',
  'createContainer',
  'startContainer',
  'stopContainer',
  'removeContainer',
  'waitContainer',
  'execInContainer',
  'ensureVolume',
  'connectNetwork',
  'ensureNetwork',
]);

const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

export class FakeEngine implements EngineApi {
  readonly images: FakeImage[] = [];
  readonly containers = new Map<string, FakeContainer>();
  /** Container ids: `c001-web1`, `c002-web1`, … */
  private seq = 0;
  private starts = 0;
  /** What a container does; by image reference (`shop/web:v2`), or a function of the container. */
  behaviour: (c: FakeContainer) => Behaviour | undefined = () => undefined;
  /** References no registry has (their pull fails). */
  readonly unpullable = new Set<string>();
  /** What a registry serves, by tag and by digest reference. */
  private readonly registry = new Map<string, FakeImage>();

  constructor(
    readonly target: string,
    /** Where every call is recorded, in order (shared by the targets of a world). */
    private readonly calls: Array<{ target: string; call: string }>,
  ) {}

  private record(call: string): void {
    this.calls.push({ target: this.target, call });
  }

  private image(ref: string): FakeImage | undefined {
    return this.images.find((i) => i.id === ref || i.repoTags.includes(ref) || i.repoDigests.includes(ref));
  }

  private container(id: string): FakeContainer {
    const c = this.containers.get(id) ?? [...this.containers.values()].find((x) => x.name === id);
    if (!c) throw Object.assign(new Error(`No such container: ${id}`), { statusCode: 404 });
    return c;
  }

  /** What the registry serves for a tag reference (stable: the same id and digest on every target and pull). */
  private published(ref: string): FakeImage {
    let img = this.registry.get(ref);
    if (!img) {
      const repo = ref.slice(0, ref.lastIndexOf(':'));
      img = { id: sha(`image ${ref}`), repoTags: [ref], repoDigests: [`${repo}@${sha(`digest ${ref}`)}`] };
      this.registry.set(ref, img);
      for (const d of img.repoDigests) this.registry.set(d, img);
    }
    return img;
  }

  /** Put an image on the target as a pull of `ref` (a tag or a `repo@sha256:…` digest) would; not recorded. */
  addImage(ref: string): FakeImage {
    const pub = ref.includes('@') ? this.registry.get(ref) : this.published(ref);
    if (!pub) throw new Error(`manifest unknown: ${ref}`);
    let local = this.images.find((i) => i.id === pub.id);
    if (!local) {
      local = { id: pub.id, repoTags: [], repoDigests: [...pub.repoDigests] };
      this.images.push(local);
    }
    if (!ref.includes('@') && !local.repoTags.includes(ref)) {
      // A tag names one image: pulled onto another one, it leaves the image it named before (dangling, as Docker does).
      for (const other of this.images) other.repoTags = other.repoTags.filter((t) => t !== ref);
      local.repoTags.push(ref);
    }
    return local;
  }

  /** CI pushes tag `ref` again: the registry now serves a new image (new id and digest) for it. Returns its id. */
  republish(ref: string): string {
    this.published(ref);
    const n = ++this.pushes;
    const repo = ref.slice(0, ref.lastIndexOf(':'));
    const img = {
      id: sha(`image ${ref} #${n}`),
      repoTags: [ref],
      repoDigests: [`${repo}@${sha(`digest ${ref} #${n}`)}`],
    };
    this.registry.set(ref, img);
    for (const d of img.repoDigests) this.registry.set(d, img);
    return img.id;
  }
  private pushes = 0;

  /** An image built or loaded on the target: tagged `ref`, no repo digest, and no registry has it. */
  addLocalImage(ref: string): string {
    const id = sha(`local ${ref}`);
    this.images.push({ id, repoTags: [ref], repoDigests: [] });
    this.unpullable.add(ref);
    return id;
  }

  behaviourOf(c: FakeContainer): Behaviour {
    return this.behaviour(c) ?? {};
  }

  /** Who answers HTTP on host port `port`: a running container published there (its io.runbook.port label). */
  listenerOn(port: number): (() => HttpReply) | undefined {
    const c = [...this.containers.values()].find(
      (x) => x.state === 'running' && x.labels['io.runbook.port'] === String(port),
    );
    if (!c) return undefined;
    return () => this.behaviourOf(c).http ?? { status: 200, body: '{"status":"ok"}' };
  }

  async pullImage(ref: string, _opts?: PullOptions): Promise<PullResult> {
    this.record(`pullImage ${ref}`);
    if (this.unpullable.has(ref)) throw new Error(`pull access denied for ${ref}`);
    const img = this.addImage(ref);
    return { digest: img.repoDigests[0]?.split('@')[1], status: `Status: Downloaded newer image for ${ref}` };
  }

  async inspectImage(ref: string): Promise<ImageInfo | undefined> {
    this.record(`inspectImage ${ref}`);
    const i = this.image(ref);
    return i && { id: i.id, repoTags: [...i.repoTags], repoDigests: [...i.repoDigests], labels: {}, created: '' };
  }

  async tagImage(source: string, repo: string, tag: string): Promise<void> {
    this.record(`tagImage ${source.slice(0, 19)} ${repo}:${tag}`);
    const img = this.image(source);
    if (!img) throw new Error(`No such image: ${source}`);
    for (const other of this.images) other.repoTags = other.repoTags.filter((t) => t !== `${repo}:${tag}`);
    img.repoTags.push(`${repo}:${tag}`);
  }

  async removeImage(ref: string): Promise<void> {
    this.record(`removeImage ${ref.slice(0, 19)}`);
    const img = this.image(ref);
    if (!img) throw new Error(`No such image: ${ref}`);
    if ([...this.containers.values()].some((c) => c.imageId === img.id)) throw new Error('image is in use');
    this.images.splice(this.images.indexOf(img), 1);
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    this.record(`createContainer ${spec.name}`);
    const img = this.image(spec.image);
    if (!img) throw new Error(`No such image: ${spec.image}`);
    if ([...this.containers.values()].some((c) => c.name === spec.name)) throw new Error(`Conflict: ${spec.name}`);
    const id = `c${String(++this.seq).padStart(3, '0')}-${this.target}`;
    this.containers.set(id, {
      id,
      name: spec.name,
      image: spec.image,
      imageId: img.id,
      tags: [...img.repoTags],
      labels: { ...spec.labels },
      env: { ...spec.env },
      cmd: spec.cmd,
      state: 'created',
      exitCode: 0,
      startedAt: '0001-01-01T00:00:00Z',
      spec,
    });
    return id;
  }

  async startContainer(id: string): Promise<void> {
    const c = this.container(id);
    this.record(`startContainer ${c.name}`);
    const exits = this.behaviourOf(c).exits;
    c.state = exits === undefined ? 'running' : 'exited';
    c.exitCode = exits ?? 0;
    c.startedAt = `2026-11-23T00:00:${String(++this.starts % 60).padStart(2, '0')}Z`;
  }

  async stopContainer(id: string, graceSeconds: number): Promise<void> {
    const c = this.container(id);
    this.record(`stopContainer ${c.name} ${graceSeconds}`);
    if (c.state === 'running') c.state = 'exited';
  }

  async removeContainer(id: string, opts?: { force?: boolean }): Promise<void> {
    const c = this.container(id);
    this.record(`removeContainer ${c.name}${opts?.force ? ' force' : ''}`);
    if (c.state === 'running' && !opts?.force) throw new Error(`cannot remove running container ${c.name}`);
    this.containers.delete(id);
  }

  async listContainers(opts: { all?: boolean; labels?: Record<string, string> }): Promise<ContainerSummary[]> {
    this.record(`listContainers${opts.all ? ' all' : ''} ${Object.values(opts.labels ?? {}).join('/')}`);
    return [...this.containers.values()]
      .filter((c) => opts.all || c.state === 'running')
      .filter((c) => Object.entries(opts.labels ?? {}).every(([k, v]) => c.labels[k] === v))
      .map((c) => ({
        id: c.id,
        names: [c.name],
        image: c.image,
        imageId: c.imageId,
        labels: { ...c.labels },
        state: c.state,
        // As Docker words it: `Up … (healthy)` for a running container with a HEALTHCHECK.
        status: c.state === 'running' ? `Up 5 seconds (${this.behaviourOf(c).health ?? 'healthy'})` : c.state,
        created: '',
      }));
  }

  async inspectContainer(id: string): Promise<ContainerInfo> {
    const c = this.container(id);
    this.record(`inspectContainer ${c.name}`);
    const health = this.behaviourOf(c).health ?? 'healthy';
    return {
      id: c.id,
      name: c.name,
      image: c.image,
      imageId: c.imageId,
      labels: { ...c.labels },
      env: Object.entries(c.env).map(([k, v]) => `${k}=${v}`),
      state: {
        status: c.state,
        running: c.state === 'running',
        exitCode: c.exitCode,
        startedAt: c.startedAt,
        finishedAt: '',
        pid: c.state === 'running' ? 4000 + Number(c.id.slice(1, 4)) : 0,
        health: { status: health, failingStreak: 0, log: [] },
      },
      restartCount: 0,
      networkMode: c.spec.networkMode ?? 'bridge',
      tty: false,
    };
  }

  async containerLogs(id: string): Promise<string> {
    const c = this.container(id);
    this.record(`containerLogs ${c.name}`);
    return this.behaviourOf(c).logs ?? '';
  }

  /** What an exec in a container answers, by container name (none: exit 127, as for a missing program). */
  readonly execAnswers = new Map<string, (argv: string[]) => Partial<ExecInContainerResult>>();

  async execInContainer(id: string, argv: readonly string[]): Promise<ExecInContainerResult> {
    const c = this.container(id);
    this.record(`execInContainer ${c.name} ${argv.join(' ')}`);
    if (c.state !== 'running')
      throw Object.assign(new Error(`Container ${c.name} is not running`), { statusCode: 409 });
    const answer = this.execAnswers.get(c.name);
    return {
      code: 127,
      stdout: '',
      stderr: `${argv[0]}: not found`,
      ...(answer ? { code: 0, ...answer([...argv]) } : {}),
    };
  }

  /** A container the toolkit did not create (nginx run by the team), running; not recorded. */
  addForeign(name: string, image: string): FakeContainer {
    const img = this.addImage(image);
    const id = `c${String(++this.seq).padStart(3, '0')}-${this.target}`;
    const spec: ContainerSpec = { name, image, env: {}, labels: {} };
    const c: FakeContainer = {
      id,
      name,
      image,
      imageId: img.id,
      tags: [image],
      labels: {},
      env: {},
      state: 'running',
      exitCode: 0,
      startedAt: '2026-11-23T00:00:00Z',
      spec,
    };
    this.containers.set(id, c);
    return c;
  }

  async waitContainer(id: string): Promise<number> {
    const c = this.container(id);
    this.record(`waitContainer ${c.name}`);
    c.state = 'exited';
    return c.exitCode;
  }

  /** Named volumes and networks, with their labels. */
  readonly volumes = new Map<string, Record<string, string>>();
  readonly networks = new Map<string, Record<string, string>>();

  async connectNetwork(network: string, id: string, aliases: string[] = []): Promise<void> {
    const c = this.container(id);
    this.record(`connectNetwork ${network} ${c.name}${aliases.length > 0 ? ` as ${aliases.join(',')}` : ''}`);
    c.spec = { ...c.spec, extraNetworks: [...(c.spec.extraNetworks ?? []).filter((n) => n !== network), network] };
  }

  async hasVolume(name: string): Promise<boolean> {
    return this.volumes.has(name);
  }

  async hasNetwork(name: string): Promise<boolean> {
    return this.networks.has(name);
  }

  async ensureVolume(name: string, labels: Record<string, string>): Promise<boolean> {
    if (this.volumes.has(name)) return false;
    this.record(`ensureVolume ${name}`);
    this.volumes.set(name, labels);
    return true;
  }

  async ensureNetwork(name: string, labels: Record<string, string>): Promise<boolean> {
    if (this.networks.has(name)) return false;
    this.record(`ensureNetwork ${name}`);
    this.networks.set(name, labels);
    return true;
  }

  async close(): Promise<void> {}

  static changes(calls: readonly string[]): string[] {
    return calls.filter((c) => CHANGING.has(c.split(' ')[0] ?? ''));
  }
}
