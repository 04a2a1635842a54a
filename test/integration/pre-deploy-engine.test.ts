/**
 * pre-deploy-check on `docker:` targets: the Docker Engine API of the sandbox dockerd over TCP with mutual TLS (the
 * PEM texts from environment variables the config names) and over its Unix socket. A wrong CA, a missing variable or
 * plain TCP fail the check; the key never shows.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStep } from './helpers/action-runner.js';
import { shown } from './helpers/cli.js';
import { sandboxPart } from './helpers/sandbox.js';

interface Report {
  checks: { target: string; check: string; status: string; detail: string }[];
}

describe('pre-deploy-check on docker: targets (Engine API over mutual TLS and a Unix socket)', () => {
  const docker = sandboxPart('docker') as ReturnType<typeof sandboxPart<'docker'>> & {
    tcp: string;
    tls: { ca: string; cert: string; key: string; wrongCa: string };
  };
  const pem = (path: string) => readFileSync(path, 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'pre-deploy-engine-'));
  const tls = '{ ca-env: DOCKER_TLS_CA, cert-env: DOCKER_TLS_CERT, key-env: DOCKER_TLS_KEY }';
  const config = (name: string, targets: string) => {
    const path = join(dir, `${name}.yml`);
    writeFileSync(
      path,
      `app: shop\nenvironments:\n  sandbox:\n    targets: ${targets}\nchecks:\n  docker: ">=20"\n  compose: false\n`,
    );
    return path;
  };
  const good = {
    DOCKER_TLS_CA: pem(docker.tls.ca),
    DOCKER_TLS_CERT: pem(docker.tls.cert),
    DOCKER_TLS_KEY: pem(docker.tls.key),
  };
  const run = (path: string, env: Record<string, string> = good, extra: Record<string, string> = {}) =>
    runStep('pre-deploy-check', { inputs: { config: path, environment: 'sandbox', ...extra }, env });
  const checks = (outputs: Record<string, string>) => (JSON.parse(outputs.report ?? '{"checks":[]}') as Report).checks;
  /** engine1's reachable check (the report also holds config, strategy and drift lines). */
  const reach = (outputs: Record<string, string>) =>
    checks(outputs).find((c) => c.target === 'engine1' && c.check === 'reachable');

  it('reaches both endpoints, checks the engine version, and never shows the key', async () => {
    const path = config(
      'ok',
      `[{ name: engine1, docker: { host: "${docker.tcp}", tls: ${tls} } }, { name: sock, docker: { host: "${docker.host}" } }]`,
    );
    const r = await run(path);
    expect(r.code, r.stdout).toBe(0);
    const c = checks(r.outputs);
    // The sandbox's TLS port is a free one (2376 unless something else holds it).
    const endpoint = docker.tcp.replaceAll('.', '\\.');
    expect(c.find((x) => x.target === 'engine1' && x.check === 'reachable')?.detail).toMatch(
      new RegExp(`^${endpoint} \\(mutual TLS\\), Engine API 1\\.\\d+$`),
    );
    expect(c.find((x) => x.target === 'engine1' && x.check === 'docker')?.detail).toMatch(
      /^docker engine 20\.\S+ \(>=20\)$/,
    );
    expect(c.find((x) => x.target === 'sock' && x.check === 'reachable')?.detail).toMatch(
      /\(Unix socket\), Engine API/,
    );
    const keyLine = pem(docker.tls.key).split('\n')[1] ?? '';
    expect(keyLine.length).toBeGreaterThan(20);
    expect(shown(r.stdout)).not.toContain(keyLine);
  });

  it('fails closed: a wrong CA, a missing key variable, plain TCP', async () => {
    const path = config('tls', `[{ name: engine1, docker: { host: "${docker.tcp}", tls: ${tls} } }]`);
    const wrong = await run(path, { ...good, DOCKER_TLS_CA: pem(docker.tls.wrongCa) });
    expect(wrong.code).toBe(1);
    expect(reach(wrong.outputs)).toMatchObject({ target: 'engine1', check: 'reachable', status: 'fail' });
    expect(reach(wrong.outputs)?.detail).toMatch(/certificate/i);
    const { DOCKER_TLS_KEY: _key, ...noKey } = good;
    const missing = await run(path, noKey);
    expect(reach(missing.outputs)?.detail).toBe(
      'target engine1: the TLS key variable DOCKER_TLS_KEY is not set (docker.tls)',
    );
    const plain = await run(config('plain', `[{ name: engine1, docker: { host: "${docker.tcp}" } }]`));
    expect(plain.code).toBe(1);
    expect(reach(plain.outputs)?.detail).toMatch(/has no TLS: anyone who can reach that port controls the daemon/);
  });

  it('dry run names the API call and opens nothing; tls on a unix host is a config error', async () => {
    const path = config('dry', `[{ name: engine1, docker: { host: "${docker.tcp}", tls: ${tls} } }]`);
    const dry = await run(path, {}, { 'dry-run': 'true' });
    expect(dry.code, dry.stdout).toBe(0);
    expect(dry.stdout).toContain(`engine1 (${docker.tcp}): Docker Engine API GET /version (no shell)`);
    const bad = await run(config('bad', `[{ name: e, docker: { host: "${docker.host}", tls: ${tls} } }]`));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/environments\.sandbox\.targets\[0\]\.docker\.tls: tls applies to tcp:\/\/ hosts only/);
  });
});
