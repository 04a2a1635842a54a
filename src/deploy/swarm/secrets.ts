/**
 * secret-env as Swarm secrets. Each value becomes a secret named by its content, `<app>-<env>-<VAR>-<hash8>`, made
 * once and reused while the value stays the same (a secret cannot change in Swarm: a new value is a new secret, and
 * the service update that points at it rolls the tasks like any change). The tasks get it as the file
 * /run/secrets/<VAR> and `<VAR>_FILE=/run/secrets/<VAR>` in their environment. The hash is an HMAC keyed with the
 * swarm's cluster id, so the name in a public log says nothing about a short value to someone without access to the
 * swarm (who could read the value anyway). Values are masked by the action and never written anywhere else.
 */
import { createHmac } from 'node:crypto';
import { missingSecretsError } from '../engine/env.js';
import { LABEL, type Owner } from '../engine/labels.js';
import type { SwarmApi } from './api.js';
import type { SecretMount } from './spec.js';

/** The secret-env variable a secret holds (the container name), on the secret's labels. */
export const SECRET_VAR_LABEL = 'io.runbook.secret-env';

/** `<app>-<env>-<VAR>-<first 8 hex of HMAC-SHA256(cluster id, value)>`. */
export function secretName(o: Pick<Owner, 'app' | 'env'>, variable: string, value: string, clusterId: string): string {
  const hash = createHmac('sha256', `runbook-secret:${clusterId}`).update(value, 'utf8').digest('hex').slice(0, 8);
  return `${o.app}-${o.env}-${variable}-${hash}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
}

/**
 * The secrets of a service's secret-env (container variable → runner variable), made when missing; `values` by runner
 * variable. Throws (naming the runner variables, never a value) when one was not handed down.
 */
export async function ensureSecrets(
  api: SwarmApi,
  owner: Owner,
  secretEnv: Readonly<Record<string, string>>,
  values: Readonly<Record<string, string>> | undefined,
  clusterId: string,
  log: { info(line: string): void },
): Promise<SecretMount[]> {
  const missing = Object.values(secretEnv).filter((from) => values?.[from] === undefined);
  if (missing.length > 0) throw missingSecretsError([...new Set(missing)]);
  const existing = await api.listSecrets({ [LABEL.app]: owner.app, [LABEL.env]: owner.env });
  const out: SecretMount[] = [];
  for (const [name, from] of Object.entries(secretEnv)) {
    const value = values?.[from] ?? '';
    const wanted = secretName(owner, name, value, clusterId);
    const found = existing.find((s) => s.name === wanted);
    const secretId =
      found?.id ??
      (await api.createSecret(wanted, value, {
        [LABEL.app]: owner.app,
        [LABEL.env]: owner.env,
        [SECRET_VAR_LABEL]: name,
      }));
    if (!found) log.info(`swarm: secret ${wanted} made for ${name} (${owner.service}: /run/secrets/${name})`);
    out.push({ name, secretId, secretName: wanted });
  }
  return out;
}

/**
 * Remove the app's secrets in this environment that no service of it uses any more, in its spec or its previous spec
 * (which an Engine API rollback goes back to). Returns the names removed; a secret Docker will not remove is left,
 * with a warning.
 */
export async function pruneSecrets(
  api: SwarmApi,
  owner: Pick<Owner, 'app' | 'env'>,
  log: { info(line: string): void; warn(line: string): void },
): Promise<string[]> {
  const scope = { [LABEL.app]: owner.app, [LABEL.env]: owner.env };
  const services = await api.listServices(scope);
  const used = new Set(
    services.flatMap((svc) =>
      [svc.spec, svc.previousSpec].flatMap((spec) =>
        (spec?.TaskTemplate?.ContainerSpec?.Secrets ?? []).map((s) => s.SecretID),
      ),
    ),
  );
  const removed: string[] = [];
  for (const s of await api.listSecrets(scope)) {
    if (used.has(s.id) || s.labels[SECRET_VAR_LABEL] === undefined) continue;
    try {
      await api.removeSecret(s.id);
      removed.push(s.name);
    } catch (err) {
      log.warn(`swarm: secret ${s.name} not removed: ${(err as Error).message}`);
    }
  }
  if (removed.length > 0) log.info(`swarm: removed secrets no service uses any more: ${removed.join(', ')}`);
  return removed;
}
