import { ROLLBACK_SCOPES } from '../rollback/scopes.js';
import { commonInputs, deploymentInput, incidentIssueInput, lockWaitInput, registryInputs } from './common.js';
import { deployInputs } from './deploy.js';
import { zScope } from './rollback.js';
import { type InputSpec, zBool, zOneOf } from './spec.js';

/** The root action: the whole pipeline in one step. Names match the single actions' inputs they are passed to. */
export const pipelineInputs = {
  ...commonInputs,
  version: deployInputs.version,
  services: deployInputs.services,
  strategy: deployInputs.strategy,
  env: deployInputs.env,
  'env-reset': deployInputs['env-reset'],
  'lock-wait': lockWaitInput,
  deployment: deploymentInput,
  'incident-issue': incidentIssueInput(true),
  'pr-comment': {
    description:
      "On a pull request, post the pre-deploy report and the whole plan (each host's commands, the migration SQL, the upstream file as it will be) as one comment, updated in place on every run; needs github-token with pull-requests: write",
    default: 'true',
    schema: zBool,
  },
  ...registryInputs,
  'fail-on': {
    description: 'Stop before any change when the pre-deploy check finds an "error" (or a "warning" too)',
    default: 'error',
    schema: zOneOf(['error', 'warning'], 'expected error or warning'),
  },
  rollback: {
    description:
      'Roll back automatically when the deploy or the smoke test fails (a failed migration in one transaction changed nothing)',
    default: 'true',
    schema: zBool,
  },
  'rollback-scope': {
    description: `What the automatic rollback restores, comma-separated (${ROLLBACK_SCOPES.join(', ')}); database also needs restore-database`,
    default: 'image,migration',
    schema: zScope,
  },
  maintenance: {
    description:
      'Wrap migrate and deploy in maintenance mode (strategy.proxy.nginx.maintenance): auto when the pending migration has destructive statements (its dry-run SQL; a tool that cannot print it is not wrapped), always, or never. Wrapped: maintenance on, migrate, deploy, maintenance off, then the smoke test through the live site. A failed migration or a deploy not rolled back still turns it off; a failed deploy is rolled back while the page still answers (no request reaches the old release before its schema is back), then off; if that rollback fails, maintenance stays on (fix, then runbook maintenance off). Already on before the run: the run stays inside it, leaves it on and runs no smoke test',
    default: 'auto',
    schema: zOneOf(['auto', 'always', 'never'], 'expected auto, always or never'),
  },
  'restore-database': {
    description: 'Allow the automatic rollback to restore the pre-deploy backup (scope database); loses later writes',
    default: 'false',
    schema: zBool,
  },
} satisfies Record<string, InputSpec>;
