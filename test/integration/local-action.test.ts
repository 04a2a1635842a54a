/**
 * The actions under @github/local-action (docs/local-action.md), as a developer runs them:
 * `npx local-action run actions/<name> ../../src/local-action/<name>.ts <.env>`. local-action loads the .env file into
 * the environment (INPUT_* as the runner sets them), imports the entry's run() and collects outputs, state and the job
 * summary through its @actions/core stand-in. Against a config of this test's own on the sandbox: pre-deploy-check
 * for real (SSH with the pinned key, the engine through the SSH connection), a failing check's exit code, and deploy
 * with dry-run: true and its post step.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortRange } from './helpers/ports.js';
import { REPO_ROOT, sandboxPart, sandboxSsh } from './helpers/sandbox.js';

const dir = mkdtempSync(join(tmpdir(), 'local-action-'));
// The state dir is probed by the sandbox's SSH user, as deploy would write it.
chmodSync(dir, 0o755);
mkdirSync(join(dir, 'state'), { mode: 0o777 });
chmodSync(join(dir, 'state'), 0o777);
const ssh = sandboxSsh();
const docker = sandboxPart('docker');
const app = sandboxPart('app');

/** A .env file as docs/local-action.md shows: inputs as INPUT_<NAME>, secrets, where the summary goes. */
function envFile(name: string, vars: Record<string, string>): string {
  const path = join(dir, name);
  const line = ([k, v]: [string, string]) => (/[\n"#]/.test(v) ? `${k}="${v}"` : `${k}=${v}`);
  writeFileSync(path, `${Object.entries(vars).map(line).join('\n')}\n`);
  return path;
}

/** The developer's environment: nothing of the npm, Actions runner or step this test may itself run under. */
const env = (): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(npm_|INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_)/i.test(k) && k !== 'INIT_CWD',
    ),
  ),
  DB_PASSWORD: undefined,
  NO_COLOR: '1',
  FORCE_COLOR: '0',
});

function localAction(action: string, entry: string, dotenv: string, ...extra: string[]) {
  const actionDir = action === '.' ? '.' : `actions/${action}`;
  const fromAction = action === '.' ? entry : `../../${entry}`;
  const r = spawnSync(
    join(REPO_ROOT, 'node_modules/.bin/local-action'),
    ['run', actionDir, fromAction, dotenv, ...extra],
    { cwd: REPO_ROOT, env: env(), encoding: 'utf8', timeout: 90_000 },
  );
  const stdout = r.stdout ?? '';
  const outputs = Object.fromEntries(
    [...stdout.matchAll(/^::set-output name=([\w-]+)::(.*)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']),
  );
  return { code: r.status, stdout, stderr: r.stderr ?? '', out: `${stdout}\n${r.stderr ?? ''}`, outputs };
}

describe('the actions under @github/local-action, against the sandbox', () => {
  let config = '';
  let base: Record<string, string> = {};
  const summary = join(dir, 'summary.md');

  beforeAll(async () => {
    const [first, last] = await freePortRange(4);
    config = join(dir, 'runbook.yml');
    writeFileSync(
      config,
      `app: rblocalaction
environments:
  sandbox:
    targets:
      - name: web1
        ssh: { host: 127.0.0.1, port: ${ssh.port}, user: ${ssh.user}, connect-timeout: 5s }
        docker-socket: ${docker.socket}
    state-dir: ${join(dir, 'state')}
checks:
  min-free-disk: 1%
  disk-paths: [/]
  docker: ">=20.10"
  compose: false
  required-secrets: [DB_PASSWORD]
services:
  api:
    image: ${app.image}
    network: host
    host-ports: ${first}-${last}
    health: { http: { path: /health } }
`,
    );
    base = {
      INPUT_CONFIG: config,
      INPUT_ENVIRONMENT: 'sandbox',
      'INPUT_SSH-PRIVATE-KEY': ssh.privateKey.trim(),
      'INPUT_SSH-KNOWN-HOSTS': ssh.knownHosts.trim(),
      GITHUB_STEP_SUMMARY: summary,
    };
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('pre-deploy-check: inputs from the .env file, every check on the real host, outputs and summary collected', () => {
    const r = localAction(
      'pre-deploy-check',
      'src/local-action/pre-deploy-check.ts',
      envFile('check.env', { ...base, DB_PASSWORD: 'pg-pass-123456' }),
    );
    expect(r.code, r.out).toBe(0);
    expect(r.stdout).toContain('Running Action');
    expect(r.stdout).toMatch(/PASS {2}web1 reachable +runbook-sandbox@127\.0\.0\.1:\d+, host key pinned/);
    expect(r.stdout).toMatch(/PASS {2}web1 docker +docker engine 20\.10/);
    expect(r.stdout).toMatch(/PASS {2}\* secret DB_PASSWORD +set/);
    // Outputs went through local-action's @actions/core: its table lists them.
    expect(r.outputs.passed).toBe('true');
    const report = JSON.parse(r.outputs.report ?? '{}') as { passed: boolean; counts: { fail: number } };
    expect(report).toMatchObject({ passed: true, counts: { fail: 0 } });
    expect(r.stdout).toMatch(/Action Outputs[\s\S]*'passed'\s*│\s*'true'/);
    expect(r.stdout).not.toContain('No outputs were set!');
    const written = readFileSync(summary, 'utf8');
    expect(written).toMatch(/^<h2>✅ Pre-deploy check: passed — .*sandbox<\/h2>/);
    expect(written).toContain('<td>web1</td><td>reachable</td><td>✅ pass</td>');
    // Secrets stay out of the terminal: no add-mask command echoing them, no debug lines unless asked for.
    const keyLine = ssh.privateKey.split('\n')[3] ?? '';
    expect(keyLine.length).toBeGreaterThan(20);
    expect(r.out).not.toContain(keyLine);
    expect(r.out).not.toContain('pg-pass-123456');
    expect(r.stdout).not.toMatch(/^::(add-mask|debug)::/m);
  });

  it('a failed check fails the run: exit code 1, the error, passed=false', () => {
    const r = localAction(
      'pre-deploy-check',
      'src/local-action/pre-deploy-check.ts',
      envFile('missing-secret.env', { ...base, 'INPUT_DRY-RUN': 'true' }),
    );
    expect(r.code, r.out).toBe(1);
    expect(r.stdout).toMatch(/^::error::pre-deploy check failed: \* secret DB_PASSWORD/m);
    expect(r.outputs.passed).toBe('false');
  });

  it('deploy with dry-run: true prints the plan and changes nothing; --post runs the post step of the same entry', () => {
    const r = localAction(
      'deploy',
      'src/local-action/deploy.ts',
      envFile('deploy.env', { ...base, INPUT_VERSION: 'v2', 'INPUT_DRY-RUN': 'true' }),
      // local-action reads --post relative to the current directory, not to the action's.
      '--post',
      'src/local-action/deploy.ts',
    );
    expect(r.code, r.out).toBe(0);
    expect(r.stdout).toContain('rblocalaction/sandbox: deploy v2 with rolling (engine driver) to web1');
    expect(r.stdout).toContain(`create 1 × ${app.image}:v2, start, health-gate`);
    expect(r.stdout).toContain('Running Post Step');
    // The post step knew it was one (the state main saved through local-action): no second plan.
    expect(r.stdout.match(/deploy v2 with rolling/g)).toHaveLength(1);
    expect(existsSync(join(dir, 'state/sandbox/journal.json'))).toBe(false);
  });
});
