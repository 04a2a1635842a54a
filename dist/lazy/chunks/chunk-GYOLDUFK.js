// src/commands/docker-cli.ts
var dockerInspectStateArgv = (id) => [
  "docker",
  "inspect",
  "--format",
  "{{json .State}}",
  id
];
var dockerInspectImageIdArgv = (id) => ["docker", "inspect", "--format", "{{.Image}}", id];
var dockerInspectConfigImageArgv = (id) => [
  "docker",
  "inspect",
  "--format",
  "{{.Config.Image}}",
  id
];
var dockerTagArgv = (source, target) => ["docker", "tag", source, target];
var dockerLogsArgv = (id, tail) => ["docker", "logs", "--tail", String(tail), id];
var dockerImageIdArgv = (ref) => ["docker", "image", "inspect", "--format", "{{.Id}}", ref];
var dockerImageDigestsArgv = (ref) => [
  "docker",
  "image",
  "inspect",
  "--format",
  "{{json .RepoDigests}}",
  ref
];
var dockerObjectExistsArgv = (kind, name) => [
  "docker",
  kind,
  "inspect",
  "--format",
  "{{.Name}}",
  name
];
var dockerPullArgv = (ref) => ["docker", "pull", ref];
var dockerServerVersionArgv = () => ["docker", "version", "--format", "{{.Server.Version}}"];
var dockerExecArgv = (container, argv, o = {}) => [
  "docker",
  "exec",
  ...o.stdin ? ["-i"] : [],
  ...(o.envNames ?? []).flatMap((n) => ["-e", n]),
  container,
  ...argv
];
var dockerRunArgv = (image, argv, o = {}) => [
  "docker",
  "run",
  "--rm",
  ...o.network === void 0 ? [] : ["--network", o.network],
  image,
  ...argv
];

export {
  dockerInspectStateArgv,
  dockerInspectImageIdArgv,
  dockerInspectConfigImageArgv,
  dockerTagArgv,
  dockerLogsArgv,
  dockerImageIdArgv,
  dockerImageDigestsArgv,
  dockerObjectExistsArgv,
  dockerPullArgv,
  dockerServerVersionArgv,
  dockerExecArgv,
  dockerRunArgv
};
