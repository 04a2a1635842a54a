/** Pure argv builders for the `docker` CLI, run on a target beside compose (with its DOCKER_HOST …). */

/** A container's state as JSON (Running, ExitCode, Health, StartedAt). */
export const dockerInspectStateArgv = (id: string): string[] => [
  'docker',
  'inspect',
  '--format',
  '{{json .State}}',
  id,
];

/** The image id a container runs. */
export const dockerInspectImageIdArgv = (id: string): string[] => ['docker', 'inspect', '--format', '{{.Image}}', id];

/** The image reference a container was created from (`repo:tag`, as its compose file or run named it). */
export const dockerInspectConfigImageArgv = (id: string): string[] => [
  'docker',
  'inspect',
  '--format',
  '{{.Config.Image}}',
  id,
];

/** Point `target` (`repo:tag`) at `source` (an image id or reference). */
export const dockerTagArgv = (source: string, target: string): string[] => ['docker', 'tag', source, target];

export const dockerLogsArgv = (id: string, tail: number): string[] => ['docker', 'logs', '--tail', String(tail), id];

/** The id of an image (fails when the target has no such image). */
export const dockerImageIdArgv = (ref: string): string[] => ['docker', 'image', 'inspect', '--format', '{{.Id}}', ref];

/** The registry digests of an image, as JSON (`["repo@sha256:…"]`; `[]` for an image built or loaded on the host). */
export const dockerImageDigestsArgv = (ref: string): string[] => [
  'docker',
  'image',
  'inspect',
  '--format',
  '{{json .RepoDigests}}',
  ref,
];

/** Whether a named volume or network exists (exit 0 when it does). */
export const dockerObjectExistsArgv = (kind: 'volume' | 'network', name: string): string[] => [
  'docker',
  kind,
  'inspect',
  '--format',
  '{{.Name}}',
  name,
];

/** Pull an image by reference (a tag or `repo@sha256:…`). */
export const dockerPullArgv = (ref: string): string[] => ['docker', 'pull', ref];

/** The Docker Engine's version (`docker version` fails when the daemon is unreachable). */
export const dockerServerVersionArgv = (): string[] => ['docker', 'version', '--format', '{{.Server.Version}}'];

export interface DockerExecOptions {
  /** Keep standard input open (`-i`), for programs that read it. */
  stdin?: boolean;
  /** Passed as `-e NAME` with no value: docker copies each from its own environment, so no value is in argv. */
  envNames?: readonly string[];
}

/** Run `argv` in the running container `container`. */
export const dockerExecArgv = (container: string, argv: readonly string[], o: DockerExecOptions = {}): string[] => [
  'docker',
  'exec',
  ...(o.stdin ? ['-i'] : []),
  ...(o.envNames ?? []).flatMap((n) => ['-e', n]),
  container,
  ...argv,
];

/** A one-off container of `image` running `argv` (after the image's entry point), removed when it ends. */
export const dockerRunArgv = (image: string, argv: readonly string[], o: { network?: string } = {}): string[] => [
  'docker',
  'run',
  '--rm',
  ...(o.network === undefined ? [] : ['--network', o.network]),
  image,
  ...argv,
];
