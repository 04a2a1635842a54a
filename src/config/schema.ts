/**
 * The schema of `runbook.yml`. Every mapping is strict (unknown keys are errors), keys stay kebab-case as written,
 * durations come out as milliseconds, sizes as bytes, version constraints parsed, and defaults filled in.
 * docs/config.md documents every key (type, default, allowed values, examples); test/unit/config/docs.test.ts keeps it
 * complete.
 */
import * as z from 'zod';
import { zAppName, zEnvironmentName, zServiceName } from './fields.js';
import { type ChecksConfig, checksSchema } from './schema-checks.js';
import { databaseSchema } from './schema-database.js';
import { checkDockerTargets } from './schema-docker-targets.js';
import { checkLoadBalancer, checkRoles } from './schema-fleet.js';
import { checkNotificationEnvironments, notificationsSchema } from './schema-notify.js';
import { composeSchema, serviceSchema, strategySchema } from './schema-services.js';
import { smokeSchema } from './schema-smoke.js';
import { checkSwarmTargets } from './schema-swarm.js';
import { environmentSchema } from './schema-targets.js';
import { show } from './text.js';

const rootSchema = z.strictObject({
  /** Used in names: locks, journal, backups, labels. */
  app: zAppName,
  environments: z
    .record(zEnvironmentName, environmentSchema, { error: 'expected a mapping of environment names to environments' })
    .refine((envs) => Object.keys(envs).length > 0, { error: 'expected at least one environment, like production:' }),
  compose: composeSchema.optional(),
  services: z
    .record(zServiceName, serviceSchema, { error: 'expected a mapping of service names to services' })
    .optional(),
  strategy: strategySchema.prefault({}),
  database: databaseSchema.optional(),
  checks: checksSchema.prefault({}),
  smoke: smokeSchema.optional(),
  notifications: notificationsSchema.default([]),
});

type Root = z.output<typeof rootSchema>;

/** Checks that span sections: names used in one place must be defined in another. */
function crossCheck(config: Root, ctx: z.RefinementCtx): void {
  const services = Object.keys(config.services ?? {});
  const known = services.length === 0 ? 'no services are defined' : `defined services: ${services.join(', ')}`;
  config.strategy.order?.forEach((name, i) => {
    if (!services.includes(name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['strategy', 'order', i],
        message: `unknown service ${show(name)} (${known})`,
      });
    }
  });
  const migrateService = config.database?.migrate?.service;
  if (migrateService !== undefined && !services.includes(migrateService)) {
    ctx.addIssue({
      code: 'custom',
      path: ['database', 'migrate', 'service'],
      message: `unknown service ${show(migrateService)} (${known})`,
    });
  }
  checkNotificationEnvironments(config, ctx);
  checkRoles(config, ctx);
  checkLoadBalancer(config, ctx);
  checkSwarmTargets(config, ctx);
  checkDockerTargets(config, ctx);
}

/** The full config schema: parse, cross-check, then default each environment's state-dir to /var/lib/runbook/<app>. */
export const configSchema = rootSchema.superRefine(crossCheck).transform((config) => ({
  ...config,
  environments: Object.fromEntries(
    Object.entries(config.environments).map(([name, env]) => [
      name,
      { ...env, 'state-dir': env['state-dir'] ?? `/var/lib/runbook/${config.app}` },
    ]),
  ),
}));

export type Config = z.output<typeof configSchema>;
export type Environment = Config['environments'][string];
export type { BackupConfig, DatabaseConfig, DatabaseVia, MigrateConfig } from './schema-database.js';
export type { HealthConfig } from './schema-health.js';
export type { NotificationConfig, NotifyFormat, NotifyKind } from './schema-notify.js';
export type { ComposeConfig, NginxProxyConfig, Service } from './schema-services.js';
export type { SmokeCheck, SmokeConfig, SmokeSample } from './schema-smoke.js';
export type { DockerConfig, DockerTarget, LocalTarget, SshTarget, Target } from './schema-targets.js';
export type { DiskThreshold } from './units.js';
export type { VersionConstraint } from './version.js';
export type { ChecksConfig };
