import * as z from 'zod/mini';
import { BACKUP_ID } from '../backup/id.js';
import { SSH_KEY_INPUT, SSH_PASSPHRASE_INPUT } from '../transports/ssh-inputs.js';
import { type InputSpec, zBool, zDurationInput, zPattern, zText } from './spec.js';

const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
const anyText = zText(() => true, 'expected text');

/** Inputs every action shares. The names are the action.yml names; the CLI accepts the same ones. */
export const commonInputs = {
  config: {
    description: 'Path of the runbook config file',
    default: 'runbook.yml',
    schema: zText((v) => !v.includes('\0') && !v.includes('\n'), 'expected a file path'),
  },
  environment: {
    description: 'Environment name from the config (environments.<name>)',
    required: true,
    schema: zPattern(
      ENV_NAME,
      'expected an environment name: letters, digits, "_" and "-", starting with a letter or digit',
    ),
  },
  'dry-run': {
    description: 'Print what would run on each host and change nothing',
    default: 'false',
    schema: zBool,
  },
  [SSH_KEY_INPUT]: {
    description: 'Private key for SSH targets (OpenSSH or PEM); kept in memory only',
    secret: true,
    schema: zText((v) => v.includes('PRIVATE KEY'), 'expected an OpenSSH, PEM or PKCS#8 private key'),
  },
  [SSH_PASSPHRASE_INPUT]: {
    description: `Passphrase of ${SSH_KEY_INPUT}, when it is encrypted`,
    secret: true,
    schema: anyText,
  },
  'ssh-known-hosts': {
    description: 'known_hosts lines pinning every SSH host key (hashed entries and [host]:port accepted)',
    schema: anyText,
  },
  'ssh-insecure-ignore-host-key': {
    description: 'Accept any SSH host key (insecure; prints a warning)',
    default: 'false',
    schema: zBool,
  },
  'github-token': {
    description: 'Token for GitHub API calls (deployments, summaries)',
    secret: true,
    schema: anyText,
  },
} satisfies Record<string, InputSpec>;

/** Record a release as a GitHub deployment (deploy, the root action). */
export const deploymentInput = {
  description:
    'Record the release as one GitHub deployment (statuses in_progress, then success, failure or error, with the environment url and the run as log_url); needs github-token with deployments: write. Without a token nothing is recorded',
  default: 'true',
  schema: zBool,
} satisfies InputSpec;

/** Open or update an incident issue after an automatic rollback (the root action, rollback). */
export const incidentIssueInput = (byDefault: boolean) =>
  ({
    description:
      'After an automatic rollback, open (or comment on) an issue labelled with checks.incident-label (default "incident") with the timeline and the run link, so the next pre-deploy-check blocks until a person closes it; needs github-token with issues: write',
    default: String(byDefault),
    schema: zBool,
  }) satisfies InputSpec;

/** How long a step that changes the environment waits for another run's deploy lock. */
export const lockWaitInput = {
  description: 'How long to wait for another deploy, migration or rollback of the same environment to finish',
  default: '10m',
  schema: zDurationInput,
} satisfies InputSpec;

/** A backup id, in the format the backup action writes (`shop-production-20261123T131500Z-1a2b3c4`). */
export const zBackupId = zPattern(
  BACKUP_ID,
  'expected a backup id like shop-production-20261123T131500Z-1a2b3c4 (see: runbook backup list)',
);

/** The verified backup taken before this change: the backup action's `backup-id` output. */
export const backupIdInput = {
  description:
    "The verified backup taken before this change (the backup action's backup-id): recorded in the journal, kept by retention, restored by rollback scope database",
  schema: zBackupId,
} satisfies InputSpec;

/** Registry credentials for pulling images (the password is masked as soon as it is read). */
export const registryInputs = {
  'registry-username': { description: 'Registry user for pulling images', schema: anyText },
  'registry-password': { description: 'Registry password or token (masked)', secret: true, schema: anyText },
} satisfies Record<string, InputSpec>;

/** The registry credentials of parsed inputs, when both are given. */
export function registryAuthOf(inputs: {
  'registry-username'?: string;
  'registry-password'?: string;
}): { username: string; password: string } | undefined {
  const username = inputs['registry-username'];
  const password = inputs['registry-password'];
  return username && password ? { username, password } : undefined;
}

/** The schema of a `reason` input: one line of at most 500 characters, recorded in the journal. */
export const zReason = z.string().check(
  z.maxLength(500, 'expected at most 500 characters'),
  z.refine((v) => !/[\0\r\n]/.test(v), 'expected one line'),
);
