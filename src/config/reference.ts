/**
 * What every key of `runbook.yml` means, in one place. scripts/config-docs.ts generates docs/config.md (the tables)
 * and docs/runbook.schema.json (editor hovers: `description`, `examples`, `default`) from the zod schema plus these
 * entries; test/unit/config/docs.test.ts fails when a key the schema accepts has no entry here, when an entry names a
 * key the schema does not accept, or when an example does not validate.
 *
 * Adding a key to the schema: add `'<key path>': { meaning: '…', example: … }` to the reference file of its section
 * (reference-environments.ts, reference-services.ts, reference-strategy.ts, reference-maintenance.ts,
 * reference-database.ts, reference-checks.ts, reference-notify.ts), then regenerate:
 * `bash scripts/with-node24.sh node scripts/run-ts.mjs scripts/config-docs.ts`.
 *
 * Key paths are written as error messages write them: mapping keys joined with ".", a key you choose (an environment,
 * a service, a variable) as `<name>`, a list item as `[]` — `environments.<name>.targets[].ssh.host`.
 */
import { CHECKS_KEYS, CHECKS_SECTIONS } from './reference-checks.js';
import { DATABASE_KEYS, DATABASE_SECTIONS } from './reference-database.js';
import { ENVIRONMENT_KEYS, ENVIRONMENT_SECTIONS } from './reference-environments.js';
import { MAINTENANCE_KEYS, MAINTENANCE_SECTIONS } from './reference-maintenance.js';
import { NOTIFY_KEYS, NOTIFY_SECTIONS } from './reference-notify.js';
import { SERVICE_KEYS, SERVICE_SECTIONS } from './reference-services.js';
import { STRATEGY_KEYS, STRATEGY_SECTIONS } from './reference-strategy.js';

/** One key: what it means, an example value, and its default when the schema alone cannot say it. */
export interface KeyReference {
  /** Sentences (Markdown: `code`, [links](#anchor)). The first sentence should stand alone: it is the hover text. */
  meaning: string;
  /** A value as it is written in runbook.yml (strings, numbers, booleans, lists, mappings). It must validate. */
  example: unknown;
  /**
   * The default as written in runbook.yml, when the schema's own default is not the written form (durations: `20s`
   * is parsed to 20000) or is applied later (checks). Goes into the JSON Schema `default`; the test parses the
   * parent's example with and without it and expects the same result.
   */
  default?: unknown;
  /** A default that is not one value (`/var/lib/runbook/<app>`, "the service's `port`"): Markdown, docs only. */
  defaultNote?: string;
}

/** A heading of docs/config.md: the keys strictly below `path` (and in no deeper section) are its table. */
export interface SectionReference {
  /** '' for the top level. */
  path: string;
  title: string;
  /** Markdown paragraphs above the table. */
  intro?: string;
  /** Complete YAML snippets shown after the table; each validates (merged into a minimal config). */
  examples?: readonly string[];
}

export type KeyReferences = Readonly<Record<string, KeyReference>>;

const TOP_KEYS: KeyReferences = {
  app: {
    meaning:
      "The app's name, used in lock, journal, backup and container-label names and in the default `state-dir`. Lowercase letters, digits and `-`, at most 63 characters, starting with a letter or digit.",
    example: 'shop',
  },
  environments: {
    meaning:
      'At least one environment, keyed by name (letters, digits, `_` and `-`, at most 63). The `environment` input picks one.',
    example: { production: { targets: [{ name: 'web1', ssh: { host: '10.0.0.5', user: 'deploy' } }] } },
  },
  compose: {
    meaning:
      'The compose driver: `docker compose` on the target. When this section is present, compose is the default driver.',
    example: { directory: '/opt/shop' },
  },
  services: {
    meaning:
      "The services that are deployed, keyed by name (lowercase letters, digits, `_` and `-`, at most 63). The deploy's `version` input is the image tag of every service it deploys.",
    example: { api: { image: 'ghcr.io/acme/shop-api', port: 8000 } },
  },
  strategy: {
    meaning: 'How services are replaced and how traffic moves to them.',
    example: { type: 'rolling', 'max-surge': 1 },
  },
  database: {
    meaning: 'The PostgreSQL database, its backups and its migrations.',
    example: {
      engine: 'postgres',
      via: { 'compose-service': 'postgres' },
      name: 'shop',
      user: 'shop',
      'password-env': 'DB_PASSWORD',
    },
  },
  checks: {
    meaning: 'What pre-deploy-check verifies.',
    example: { 'min-free-disk': '20%', 'required-secrets': ['DB_PASSWORD'] },
  },
  smoke: {
    meaning: 'The HTTP checks that run after a deploy.',
    example: { checks: [{ name: 'ready', url: '/health' }] },
  },
};

/**
 * Paths whose keys are documented under another path: an environment's `checks` takes the keys of the top-level
 * `checks` (its own entry is documented; the keys below it are described as the top-level ones).
 */
export const KEY_ALIASES: Readonly<Record<string, string>> = { 'environments.<name>.checks': 'checks' };

/** Every key's reference, keyed by key path. */
export const KEYS: KeyReferences = {
  ...TOP_KEYS,
  ...ENVIRONMENT_KEYS,
  ...SERVICE_KEYS,
  ...STRATEGY_KEYS,
  ...MAINTENANCE_KEYS,
  ...DATABASE_KEYS,
  ...CHECKS_KEYS,
  ...NOTIFY_KEYS,
};

/** The headings of docs/config.md, in page order. */
export const SECTIONS: readonly SectionReference[] = [
  { path: '', title: 'Top level', examples: ['app: shop\n'] },
  ...ENVIRONMENT_SECTIONS,
  ...SERVICE_SECTIONS,
  ...STRATEGY_SECTIONS,
  ...MAINTENANCE_SECTIONS,
  ...DATABASE_SECTIONS,
  ...CHECKS_SECTIONS,
  ...NOTIFY_SECTIONS,
];
