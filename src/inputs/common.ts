import { z } from 'zod';
import { type InputSpec, zBool } from './spec.js';

const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** Inputs every action shares. The names are the action.yml names; the CLI accepts the same ones. */
export const commonInputs = {
  config: {
    description: 'Path of the runbook config file',
    default: 'runbook.yml',
    schema: z.string().refine((v) => !v.includes('\0') && !v.includes('\n'), 'expected a file path'),
  },
  environment: {
    description: 'Environment name from the config (environments.<name>)',
    required: true,
    schema: z
      .string()
      .regex(ENV_NAME, 'expected an environment name: letters, digits, "_" and "-", starting with a letter or digit'),
  },
  'dry-run': {
    description: 'Print what would run on each host and change nothing',
    default: 'false',
    schema: zBool,
  },
  'ssh-private-key': {
    description: 'Private key for SSH targets (OpenSSH or PEM); kept in memory only',
    secret: true,
    schema: z.string().refine((v) => v.includes('PRIVATE KEY'), 'expected an OpenSSH or PEM private key'),
  },
  'ssh-private-key-passphrase': {
    description: 'Passphrase of ssh-private-key, when it is encrypted',
    secret: true,
    schema: z.string(),
  },
  'ssh-known-hosts': {
    description: 'known_hosts lines pinning every SSH host key (hashed entries and [host]:port accepted)',
    schema: z.string(),
  },
  'ssh-insecure-ignore-host-key': {
    description: 'Accept any SSH host key (insecure; prints a warning)',
    default: 'false',
    schema: zBool,
  },
  'github-token': {
    description: 'Token for GitHub API calls (deployments, summaries)',
    secret: true,
    schema: z.string(),
  },
} satisfies Record<string, InputSpec>;
