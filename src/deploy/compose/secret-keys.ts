/**
 * Which environment variables of a compose service hold values that must be masked. `compose config` merges a
 * service's env_file into its environment and interpolates `${VAR}`, so its output no longer tells a secret from a
 * literal: the compose files themselves do. A variable is secret when it comes from an env_file, or when its value in
 * the file is interpolated (`${DB_PASSWORD}`) or passed through from compose's environment (`- API_KEY`). Literal
 * values written in the file (`MODE: prod`) are not: masking them would only blank ordinary log text.
 */
import { posix } from 'node:path';
import { parse } from 'yaml';
import type { ComposeConfig } from '../../config/schema.js';
import { errorMessage, UserError } from '../../core/errors.js';
import { readText } from '../../transports/files.js';
import type { Transport } from '../../transports/types.js';
import { isObj, type Obj } from './attachments.js';
import { readComposeFiles } from './files.js';

/** The env_file paths of one service definition: a string, a list of strings, or a list of `{ path }` (v2). */
export function envFilePaths(svc: Obj): string[] {
  const raw = svc.env_file;
  const list = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
  return list.flatMap((e) => (typeof e === 'string' ? [e] : isObj(e) && typeof e.path === 'string' ? [e.path] : []));
}

/** Keys of `environment` whose value is interpolated (`$`) or taken from compose's own environment (no value). */
export function interpolatedKeys(svc: Obj): string[] {
  const env = svc.environment;
  if (isObj(env)) {
    return Object.entries(env).flatMap(([k, v]) =>
      v === null || v === undefined || String(v).includes('$') ? [k] : [],
    );
  }
  if (!Array.isArray(env)) return [];
  return env.flatMap((e) => {
    const text = String(e);
    const eq = text.indexOf('=');
    return eq < 0 ? [text] : text.slice(eq + 1).includes('$') ? [text.slice(0, eq)] : [];
  });
}

/** The variable names an env file defines (`KEY=…`, `export KEY=…`); comments and blank lines skipped. */
export function envFileKeys(text: string): string[] {
  return text.split('\n').flatMap((raw) => {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) return [];
    const eq = line.indexOf('=');
    const key = (eq < 0 ? line : line.slice(0, eq)).replace(/^export\s+/, '').trim();
    return key === '' ? [] : [key];
  });
}

/**
 * A compose file's YAML as compose reads it (merge keys; a key given twice: the last one, as compose 1.29 takes it).
 * Throws UserError naming the file and the first line of the parser's message.
 */
function composeYaml(text: string, path: string): unknown {
  try {
    return parse(text, { merge: true, uniqueKeys: false });
  } catch (err) {
    throw new UserError(`${path} is not YAML compose could read: ${errorMessage(err).split('\n')[0]}`);
  }
}

/**
 * The names of the secret variables of service `name`, read from the compose files on the target (files.ts) and the
 * env files they name. An env file that cannot be read is skipped (compose config, which runs next, fails on it).
 * Never returns values.
 */
export async function composeSecretKeys(t: Transport, compose: ComposeConfig, name: string): Promise<Set<string>> {
  const files = await readComposeFiles(t, compose);
  const keys = new Set<string>();
  // Compose resolves relative paths in every file against the project directory: the first file's.
  const base = posix.dirname(files[0]?.path ?? compose.directory);
  for (const file of files) {
    const doc = composeYaml(file.text ?? '', file.path);
    const svc = isObj(doc) && isObj(doc.services) ? doc.services[name] : undefined;
    if (!isObj(svc)) continue;
    for (const k of interpolatedKeys(svc)) keys.add(k);
    for (const p of envFilePaths(svc)) {
      if (p.includes('$')) continue;
      const env = await readText(t, posix.isAbsolute(p) ? p : posix.join(base, p)).catch(() => undefined);
      for (const k of envFileKeys(env ?? '')) keys.add(k);
    }
  }
  return keys;
}
