/** What a service's containers carry besides the image (engine driver): secrets, mounts, network, limits, logs. */
import { isIP } from 'node:net';
import * as z from 'zod';
import { isHost, uniqueBy, zEnvVarName, zMatching } from './fields.js';
import { show } from './text.js';

const SECRET_ENV_HELP =
  'expected a list of runner environment variable NAMES like [DATABASE_URL, SECRET_KEY], or a mapping of container variable to runner variable like { DATABASE_URL: SHOP_DB_URL }';

/** `[DATABASE_URL]` or `{ DATABASE_URL: SHOP_DATABASE_URL }` → container variable → runner variable. */
export const zSecretEnv = z
  .union([z.array(zEnvVarName).min(1, { error: SECRET_ENV_HELP }), z.record(zEnvVarName, zEnvVarName)], {
    error: SECRET_ENV_HELP,
  })
  .superRefine((v, ctx) => {
    if (Array.isArray(v)) uniqueBy(v, (n) => n, 'variable', ctx);
  })
  .transform((v): Record<string, string> => (Array.isArray(v) ? Object.fromEntries(v.map((n) => [n, n])) : v));

export const VOLUME_HELP =
  'expected SOURCE:CONTAINER-PATH[:ro|rw], like data:/var/lib/app (a named volume) or /srv/uploads:/app/uploads:ro (a host directory)';
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const NO_CONTROL = /^[^\p{Cc}]*$/u;
const isAbsPath = (p: string) =>
  p.startsWith('/') && p.length > 1 && NO_CONTROL.test(p) && !p.split('/').includes('..') && !p.includes(',');

/** A mount: `data:/var/lib/app` (named volume) or `/srv/uploads:/app/uploads:ro` (bind mount of a host path). */
export interface VolumeMount {
  source: string;
  target: string;
  readOnly: boolean;
}

function volumeProblem(parts: readonly string[]): string | undefined {
  const [source = '', target = '', mode] = parts;
  if (parts.length < 2 || parts.length > 3) return 'expected two or three parts separated by ":"';
  if (!(VOLUME_NAME.test(source) || isAbsPath(source)))
    return `the source ${show(source)} is neither a volume name (letters, digits, "_", ".", "-") nor an absolute host path`;
  if (!isAbsPath(target)) return `the container path ${show(target)} must be absolute (starting with "/", no "..")`;
  if (mode !== undefined && mode !== 'ro' && mode !== 'rw') return `the mode ${show(mode)} must be ro or rw`;
  return undefined;
}

export const zVolume = z.string({ error: VOLUME_HELP }).transform((text, ctx): VolumeMount => {
  const parts = text.split(':');
  const problem = volumeProblem(parts);
  if (problem !== undefined) {
    ctx.addIssue({ code: 'custom', message: `got ${show(text)}: ${problem}; ${VOLUME_HELP}` });
    return z.NEVER;
  }
  return { source: parts[0] ?? '', target: parts[1] ?? '', readOnly: parts[2] === 'ro' };
});

const NETWORK_NAME_HELP = 'expected the name of an existing Docker network (letters, digits, "_", ".", "-")';
export const zNetworkName = zMatching(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, NETWORK_NAME_HELP).refine(
  (n) => !['host', 'bridge', 'none', 'default'].includes(n),
  { error: 'host, bridge, none and default are network modes, not networks to join: use the network key' },
);

const LABEL_KEY_HELP = 'expected a label name like com.example.team (no spaces, "=" or control characters)';
export const zLabels = z
  .record(
    z.string().regex(/^[^\s=\p{Cc}]+$/u, { error: LABEL_KEY_HELP }),
    z
      .string({ error: 'expected a text value' })
      .regex(NO_CONTROL, { error: 'expected a value without control characters' }),
    { error: 'expected a mapping of label name to value, like { com.example.team: shop }' },
  )
  .superRefine((labels, ctx) => {
    for (const key of Object.keys(labels)) {
      if (!key.toLowerCase().startsWith('io.runbook.')) continue;
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: "labels under io.runbook. are the toolkit's own (they tie containers to releases); use another prefix",
      });
    }
  });

const RESTART_HELP = 'expected no, on-failure, on-failure:N (at most N restarts), always or unless-stopped';

/** Docker's restart policy: `no`, `on-failure[:N]`, `always`, `unless-stopped`. */
export interface RestartConfig {
  name: 'no' | 'on-failure' | 'always' | 'unless-stopped';
  maxRetries?: number;
}

export const zRestart = z.string({ error: RESTART_HELP }).transform((text, ctx): RestartConfig => {
  const m = /^(no|always|unless-stopped|on-failure)(?::(\d{1,4}))?$/.exec(text);
  const name = m?.[1] as RestartConfig['name'] | undefined;
  if (!m || name === undefined || (m[2] !== undefined && name !== 'on-failure')) {
    ctx.addIssue({ code: 'custom', message: `got ${show(text)}, ${RESTART_HELP}` });
    return z.NEVER;
  }
  return m[2] === undefined ? { name } : { name, maxRetries: Number(m[2]) };
});

const NAME_OR_ID = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}';
export const zContainerUser = zMatching(
  new RegExp(`^${NAME_OR_ID}(?::${NAME_OR_ID})?$`),
  'expected a user like app, 1000 or 1000:1000 (a name or uid, optionally :group or :gid)',
);

/** Docker refuses a smaller memory limit. */
export const MIN_MEMORY = 6 * 2 ** 20;
const CPUS_HELP = 'expected a number of CPUs from 0.01 to 256, like 0.5 or 2';
export const zCpus = z.number({ error: CPUS_HELP }).min(0.01, { error: CPUS_HELP }).max(256, { error: CPUS_HELP });

export const logSchema = z.strictObject({
  driver: zMatching(
    /^[a-zA-Z0-9][a-zA-Z0-9_./:-]*$/,
    'expected a logging driver name like json-file, local, journald or syslog',
  ),
  options: z
    .record(
      zMatching(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'expected an option name like max-size'),
      z
        .string({ error: 'expected a text value (quote numbers: "3")' })
        .regex(NO_CONTROL, { error: 'expected a value without control characters' }),
      { error: 'expected a mapping of option to value, like { max-size: 10m, max-file: "3" }' },
    )
    .optional(),
});

export const EXTRA_HOST_HELP = 'expected NAME:ADDRESS, like db.internal:10.0.0.7 or host.docker.internal:host-gateway';
export const zExtraHost = z.string({ error: EXTRA_HOST_HELP }).superRefine((text, ctx) => {
  const at = text.indexOf(':');
  const name = at < 0 ? text : text.slice(0, at);
  const address = at < 0 ? '' : text.slice(at + 1);
  if (at < 0 || !isHost(name) || isIP(name) !== 0 || !(address === 'host-gateway' || isIP(address) !== 0)) {
    ctx.addIssue({ code: 'custom', message: `got ${show(text)}, ${EXTRA_HOST_HELP}` });
  }
});
