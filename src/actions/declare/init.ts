/** The declaration of init: name, summary, inputs; the step loads when it runs. */
import { commonInputs } from '../../inputs/common.js';
import { type InputSpec, zBool, zPattern, zText } from '../../inputs/spec.js';
import { defineAction } from '../module.js';

const absPath = zText(
  (v) => v.startsWith('/') && !/[\p{Cc}]/u.test(v) && !v.split('/').includes('..'),
  'expected an absolute path (starting with "/", no ".." or control characters)',
);

/**
 * `runbook init`: no config to read and, without `from-ssh`, no connection: only where to write, what to call the app
 * and its environment. With `from-ssh` it reads a server set up by hand (read only, over SSH with the same key and
 * pinned host keys as every action) and writes a proposal instead of the starter.
 */
export const initInputs = {
  path: {
    description: 'Where to write the config (the starter, or the proposal with from-ssh)',
    default: 'runbook.yml',
    schema: zText((v) => !v.includes('\0') && !v.includes('\n'), 'expected a file path'),
  },
  force: {
    description: 'Overwrite the file when it exists',
    default: 'false',
    schema: zBool,
  },
  app: {
    description:
      "The app's name in the starter (default: the name of the file's directory; with from-ssh, the compose project's)",
    schema: zPattern(
      /^[a-z0-9][a-z0-9-]{0,62}$/,
      'expected lowercase letters, digits and "-" (at most 63, like "shop")',
    ),
  },
  environment: {
    description: 'The name of the environment the config describes',
    default: 'production',
    schema: commonInputs.environment.schema,
  },
  'from-ssh': {
    description:
      'Propose the config of a server set up by hand, read over SSH as user@host[:port] (read only: nothing changes)',
    schema: zPattern(/^[^@\s]+@\S+$/, 'expected user@host or user@host:port'),
  },
  'ssh-private-key': commonInputs['ssh-private-key'],
  'ssh-private-key-passphrase': commonInputs['ssh-private-key-passphrase'],
  'ssh-known-hosts': commonInputs['ssh-known-hosts'],
  'ssh-insecure-ignore-host-key': commonInputs['ssh-insecure-ignore-host-key'],
  'nginx-conf': {
    description: 'With from-ssh: the nginx.conf to read (and the files it includes)',
    default: '/etc/nginx/nginx.conf',
    schema: absPath,
  },
  'docker-socket': {
    description: 'With from-ssh: the Docker socket on the server, when it is not /var/run/docker.sock',
    schema: absPath,
  },
  'compose-project': {
    description: 'With from-ssh: the compose project to propose (default: the one behind an nginx upstream)',
    schema: zPattern(/^[a-z0-9][a-z0-9_-]*$/, 'expected a compose project name (lowercase letters, digits, "_", "-")'),
  },
} satisfies Record<string, InputSpec>;

export const initAction = defineAction({
  name: 'init',
  summary:
    'Write a commented starter runbook.yml (--path FILE, --app NAME, --force to overwrite), or propose one from a server set up by hand (--from-ssh user@host[:port])',
  inputs: initInputs,
  cliOnly: true,
  main: async (run) => (await import('../init.js')).runInit(run),
});
