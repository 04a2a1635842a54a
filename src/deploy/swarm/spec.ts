/**
 * The Swarm service spec of one config service for one release: pure, from the service's config (with the release's
 * env values), the image reference, the ports chosen for its tasks and its secrets. Tasks run on the host network;
 * the toolkit's labels tie the service and each task to the app, environment, service and release.
 */
import type { Service } from '../../config/schema.js';
import type { SwarmConfig } from '../../config/schema-swarm.js';
import type { SwarmServiceSpec, SwarmUpdateConfig } from '../../docker/swarm-types.js';
import { envList } from '../../docker/wire.js';
import { LABEL, type Owner, ownerLabels } from '../engine/labels.js';
import { containerHealthcheck } from './health.js';
import { PORTS_LABEL, portsLabel, portTemplate } from './ports.js';

const NS_PER_MS = 1_000_000;

/** `<app>-<env>-<service>`: one Swarm service per config service and environment. */
export function swarmServiceName(o: Owner): string {
  return `${o.app}-${o.env}-${o.service}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
}

/** A secret-env variable as the service's tasks get it: the Swarm secret, mounted at /run/secrets/<name>. */
export interface SecretMount {
  /** The container variable (secret-env's key): the file's name, and `<name>_FILE` in the environment. */
  name: string;
  secretId: string;
  secretName: string;
}

export interface SwarmSpecInput {
  owner: Owner;
  release: string;
  /** What the tasks run: `repo:tag@sha256:…` when the registry gave a digest, else `repo:tag`. */
  image: string;
  /** The service's config, with the release's env values over its env. */
  service: Service;
  /** The env-file's entries as read from the target (values masked). */
  fileEnv?: Readonly<Record<string, string>>;
  /** Slot n's host port is ports[n-1]; empty: the service has no host-ports. */
  ports: readonly number[];
  secrets: readonly SecretMount[];
  swarm: SwarmConfig;
}

/** strategy.swarm as Swarm's UpdateConfig (and RollbackConfig: a rollback goes the same careful way). */
export function updateConfigOf(c: SwarmConfig): SwarmUpdateConfig {
  return {
    Parallelism: c.parallelism,
    Delay: c.delay * NS_PER_MS,
    FailureAction: c['failure-action'],
    Monitor: c.monitor * NS_PER_MS,
    MaxFailureRatio: c['max-failure-ratio'],
    Order: c.order,
  };
}

/** The container environment: env-file, env (wins over the file), `<VAR>_FILE` per secret, the port variable. */
export function taskEnv(i: Pick<SwarmSpecInput, 'service' | 'fileEnv' | 'ports' | 'secrets'>): Record<string, string> {
  const env: Record<string, string> = { ...(i.fileEnv ?? {}), ...(i.service.env ?? {}) };
  for (const s of i.secrets) env[`${s.name}_FILE`] = `/run/secrets/${s.name}`;
  if (i.ports.length > 0) env[i.service['port-env']] = portTemplate(i.ports);
  return env;
}

const RESTART: Record<Service['restart']['name'], 'none' | 'on-failure' | 'any'> = {
  no: 'none',
  'on-failure': 'on-failure',
  always: 'any',
  'unless-stopped': 'any',
};

export function buildServiceSpec(i: SwarmSpecInput): SwarmServiceSpec {
  const s = i.service;
  const release = { [LABEL.release]: i.release };
  const health = containerHealthcheck(s);
  const spec: SwarmServiceSpec = {
    Name: swarmServiceName(i.owner),
    Labels: { ...ownerLabels(i.owner), ...release },
    TaskTemplate: {
      ContainerSpec: {
        Image: i.image,
        // The service's own labels, then the toolkit's (the schema refuses io.runbook.* in labels anyway).
        Labels: {
          ...(s.labels ?? {}),
          ...release,
          ...(i.ports.length > 0 ? { [PORTS_LABEL]: portsLabel(i.ports) } : {}),
        },
        ...(s.command ? { Args: [...s.command] } : {}),
        Env: envList(taskEnv(i)) ?? [],
        ...(s.user ? { User: s.user } : {}),
        // Docker's NAME:ADDRESS as Swarm's hosts-file lines, ADDRESS NAME.
        ...(s['extra-hosts']
          ? {
              Hosts: s['extra-hosts'].map((h) => `${h.slice(h.indexOf(':') + 1)} ${h.slice(0, h.indexOf(':'))}`),
            }
          : {}),
        ...(s.volumes
          ? {
              Mounts: s.volumes.map((v) => ({
                Type: v.source.startsWith('/') ? ('bind' as const) : ('volume' as const),
                Source: v.source,
                Target: v.target,
                ReadOnly: v.readOnly,
              })),
            }
          : {}),
        StopGracePeriod: s['stop-grace'] * NS_PER_MS,
        ...(health ? { Healthcheck: health } : {}),
        ...(i.secrets.length > 0
          ? {
              Secrets: i.secrets.map((x) => ({
                SecretID: x.secretId,
                SecretName: x.secretName,
                File: { Name: x.name, UID: '0', GID: '0', Mode: 0o444 },
              })),
            }
          : {}),
      },
      ...(s.memory !== undefined || s.cpus !== undefined
        ? {
            Resources: {
              Limits: {
                ...(s.memory !== undefined ? { MemoryBytes: s.memory } : {}),
                ...(s.cpus !== undefined ? { NanoCPUs: Math.round(s.cpus * 1e9) } : {}),
              },
            },
          }
        : {}),
      RestartPolicy: {
        Condition: RESTART[s.restart.name],
        ...(s.restart.maxRetries ? { MaxAttempts: s.restart.maxRetries } : {}),
      },
      ...(s.log
        ? { LogDriver: { Name: s.log.driver, ...(s.log.options ? { Options: { ...s.log.options } } : {}) } }
        : {}),
      Networks: [{ Target: 'host' }],
    },
    Mode: { Replicated: { Replicas: s.replicas } },
    UpdateConfig: updateConfigOf(i.swarm),
    RollbackConfig: updateConfigOf(i.swarm),
  };
  return spec;
}
