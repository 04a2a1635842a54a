/**
 * The prerequisite checks against a scripted host: each command's answer is given by the test, every command and
 * channel is recorded, and the result lines (status and wording) are asserted.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkPrerequisites, type PrerequisiteOptions, prerequisitePlan } from '../../../src/checks/prerequisites.js';
import type { NginxProxyConfig } from '../../../src/config/schema.js';
import { ConnectionError } from '../../../src/core/errors.js';
import type { ExecOptions, ExecResult, Transport } from '../../../src/transports/types.js';

type Answer = Partial<ExecResult> | undefined;

/** A host whose commands answer by the first word(s) of their argv; unanswered commands exit 0 silently. */
class ScriptedHost implements Transport {
  readonly name = 'web1';
  readonly ran: Array<{ argv: string[]; cwd?: string; env?: Readonly<Record<string, string>> }> = [];
  readonly channels: string[] = [];
  tcp: Error | undefined;
  socket: Error | undefined;
  constructor(private readonly answer: (argv: string[]) => Answer) {}
  async exec(argv: readonly string[], o: ExecOptions = {}): Promise<ExecResult> {
    this.ran.push({ argv: [...argv], cwd: o.cwd, env: o.env });
    return { code: 0, stdout: '', stderr: '', ...this.answer([...argv]) };
  }
  async connectTcp(host: string, port: number) {
    this.channels.push(`tcp ${host}:${port}`);
    if (this.tcp) throw this.tcp;
    return new PassThrough();
  }
  async openUnixSocket(path: string) {
    this.channels.push(`unix ${path}`);
    if (this.socket) throw this.socket;
    return new PassThrough();
  }
  upload = async () => {};
  download = async () => new PassThrough();
  close = async () => {};
}

const NGINX: NginxProxyConfig = {
  'upstream-file': '/etc/nginx/conf.d/shop.conf',
  upstream: 'shop',
  test: ['sudo', '/usr/sbin/nginx', '-t'],
  reload: ['sudo', '/usr/sbin/nginx', '-s', 'reload'],
  'pid-file': '/run/nginx.pid',
};
const LISTING =
  'User deploy may run the following commands on web1:\n    (root) NOPASSWD: /usr/sbin/nginx -t, /usr/sbin/nginx -s reload\n';

/** A healthy nginx host: the pid file names a master, sudo allows both commands without a password. */
function nginxHost(over: (argv: string[]) => Answer = () => undefined) {
  return new ScriptedHost((argv) => {
    const mine = over(argv);
    if (mine) return mine;
    const line = argv.join(' ');
    if (line === 'cat -- /run/nginx.pid') return { stdout: '812\n' };
    if (line === 'ps -o args= -p 812') return { stdout: 'nginx: master process /usr/sbin/nginx\n' };
    if (line === 'sudo -n -l /usr/sbin/nginx -s reload') return { stdout: '/usr/sbin/nginx -s reload\n' };
    if (line === 'sudo -n -l') return { stdout: LISTING };
    return undefined;
  });
}

const base = { timeoutMs: 5000 };
const lines = async (t: ScriptedHost, o: PrerequisiteOptions) =>
  (await checkPrerequisites('web1', t, o)).map((r) => `${r.status} ${r.check}: ${r.detail}`);

describe('nginx', () => {
  it('passes: a running master, the test passes via sudo -n, the reload is allowed without a password (not run)', async () => {
    const host = nginxHost();
    expect(await lines(host, { ...base, nginx: NGINX })).toEqual([
      'pass nginx pid: /run/nginx.pid: pid 812, nginx: master process /usr/sbin/nginx',
      'pass nginx test: sudo /usr/sbin/nginx -t passes on the live config',
      'pass nginx reload: sudo allows /usr/sbin/nginx -s reload without a password (sudo -n -l; not run)',
    ]);
    expect(host.ran.map((r) => r.argv.join(' '))).toEqual([
      'cat -- /run/nginx.pid',
      'ps -o args= -p 812',
      'sudo -n /usr/sbin/nginx -t',
      'sudo -n -l /usr/sbin/nginx -s reload',
      'sudo -n -l',
    ]);
    expect(host.ran.some((r) => r.argv.includes('reload') && !r.argv.includes('-l'))).toBe(false);
  });

  it('a pid file naming the master of another nginx on the host than the one test drives fails', async () => {
    const nginx = { ...NGINX, test: ['sudo', '/usr/sbin/nginx', '-c', '/srv/edge/nginx.conf', '-t'] };
    const host = nginxHost((a) =>
      a[0] === 'ps' ? { stdout: 'nginx: master process /usr/sbin/nginx -c /etc/nginx/nginx.conf\n' } : undefined,
    );
    const found = await lines(host, { ...base, nginx });
    expect(found).toContainEqual(
      expect.stringMatching(
        /^fail nginx pid: \/run\/nginx\.pid names the master of another nginx \(pid 812, -c \/etc\/nginx\/nginx\.conf\) than the one test and reload drive \(-c \/srv\/edge\/nginx\.conf\)/,
      ),
    );
  });

  it.each<{ name: string; over: (argv: string[]) => Answer; want: RegExp[] }>([
    {
      name: 'missing pid file',
      over: (a) => (a[0] === 'cat' ? { code: 1, stderr: 'cat: /run/nginx.pid: No such file or directory' } : undefined),
      want: [/^fail nginx pid: \/run\/nginx\.pid does not exist: set strategy\.proxy\.nginx\.pid-file to/],
    },
    {
      name: 'a stale pid',
      over: (a) => (a[0] === 'ps' ? { code: 1 } : undefined),
      want: [/^fail nginx pid: \/run\/nginx\.pid names pid 812, which is not running/],
    },
    {
      name: 'a pid that is not nginx',
      over: (a) => (a[0] === 'ps' ? { stdout: '/usr/sbin/sshd -D\n' } : undefined),
      want: [/^fail nginx pid: .*pid 812 \(\/usr\/sbin\/sshd -D\), not an nginx master/],
    },
    {
      name: 'sudo wants a password for both',
      over: (a) => (a[0] === 'sudo' ? { code: 1, stderr: 'sudo: a password is required\n' } : undefined),
      want: [
        /^fail nginx test: sudo asks for a password to run sudo \/usr\/sbin\/nginx -t: add a NOPASSWD sudoers rule/,
        /^fail nginx reload: sudo \/usr\/sbin\/nginx -s reload: sudo asks for a password; add a NOPASSWD sudoers rule/,
      ],
    },
    {
      name: 'the reload allowed only with a password',
      over: (a) =>
        a.join(' ') === 'sudo -n -l'
          ? {
              stdout:
                'User deploy may run the following commands on web1:\n    (root) NOPASSWD: /usr/sbin/nginx -t\n    (root) /usr/sbin/nginx -s reload\n',
            }
          : undefined,
      want: [/^fail nginx reload: sudo allows \/usr\/sbin\/nginx -s reload only with a password/],
    },
    {
      name: 'the live config broken',
      over: (a) =>
        a.includes('-t')
          ? {
              code: 1,
              stderr:
                'nginx: [emerg] unknown directive "servr" in /etc/nginx/x.conf:3\nnginx: configuration file /etc/nginx/nginx.conf test failed\n',
            }
          : undefined,
      want: [
        /^fail nginx test: sudo \/usr\/sbin\/nginx -t fails \(exit 1\): nginx: \[emerg\] unknown directive "servr"/,
      ],
    },
  ])('fails: $name', async ({ over, want }) => {
    const got = await lines(nginxHost(over), { ...base, nginx: NGINX });
    for (const w of want) expect(got).toContainEqual(expect.stringMatching(w));
    expect(got.filter((l) => l.startsWith('fail'))).toHaveLength(want.length);
  });

  it('without sudo: the deploy user must be able to signal the master (kill -0 sends nothing)', async () => {
    const direct = { ...NGINX, test: ['nginx', '-t'], reload: ['nginx', '-s', 'reload'] };
    const ok = nginxHost((a) => (a[0] === 'sh' ? { stdout: '/usr/sbin/nginx\n' } : undefined));
    expect(await lines(ok, { ...base, nginx: direct })).toContainEqual(
      "pass nginx reload: the deploy user may signal nginx's master, pid 812 (kill -0; not reloaded)",
    );
    expect(ok.ran.map((r) => r.argv.join(' '))).toContain('kill -0 812');
    const denied = nginxHost((a) =>
      a[0] === 'kill' ? { code: 1, stderr: 'kill: (812) - Operation not permitted' } : undefined,
    );
    expect(await lines(denied, { ...base, nginx: direct })).toContainEqual(
      expect.stringMatching(
        /^fail nginx reload: nginx -s reload runs as the deploy user, who may not signal nginx's master \(pid 812: kill: \(812\) - Operation not permitted\): use reload: \[sudo, nginx, -s, reload\]/,
      ),
    );
  });

  it('the candidate test plugs in after the live config passed', async () => {
    const candidate = async ({ target }: { target: string }) => [
      { target, check: 'nginx candidate', status: 'pass' as const, detail: 'ok' },
    ];
    const got = await lines(nginxHost(), { ...base, nginx: NGINX, nginxCandidate: candidate });
    expect(got.at(-1)).toBe('pass nginx candidate: ok');
  });
});

describe('state dir', () => {
  const stateDir = {
    dir: '/var/lib/runbook/shop/production',
    journal: '/var/lib/runbook/shop/production/journal.json',
  };
  it.each([
    [
      'writable exists /var/lib/runbook/shop/production',
      'pass state dir: /var/lib/runbook/shop/production is writable (probe file written and removed)',
    ],
    [
      'writable missing /var/lib',
      'pass state dir: /var/lib/runbook/shop/production does not exist yet; deploy can create it in /var/lib (probe file written and removed)',
    ],
    [
      'not-writable exists /var/lib/runbook/shop/production',
      "fail state dir: /var/lib/runbook/shop/production (journal and lock) is not writable by the deploy user (dd: Permission denied): make it writable by the deploy user, or set the environment's state-dir",
    ],
    [
      'not-writable missing /var/lib',
      "fail state dir: /var/lib/runbook/shop/production (journal and lock) does not exist and cannot be created in /var/lib (dd: Permission denied): make it writable by the deploy user, or set the environment's state-dir",
    ],
    [
      'writable exists /var/lib/runbook/shop/production\nunreadable /var/lib/runbook/shop/production/journal.json',
      "fail state dir: the journal /var/lib/runbook/shop/production/journal.json cannot be read by the deploy user: make it writable by the deploy user, or set the environment's state-dir",
    ],
  ])('%j', async (stdout, want) => {
    const host = new ScriptedHost(() => ({
      stdout: `${stdout}\n`,
      stderr: stdout.startsWith('not') ? 'dd: Permission denied\n' : '',
    }));
    expect(await lines(host, { ...base, stateDir })).toEqual([want]);
  });
});

describe('SSH forwarding', () => {
  const ssh = { user: 'deploy', port: 22, tcpNeededFor: 'HTTP health probes', dockerSocket: '/var/run/docker.sock' };
  const prohibited = (what: string) =>
    new ConnectionError(`deploy@web1:22 could not open ${what}: (SSH) Channel open failure: open failed`);

  it('both channels open and close: pass', async () => {
    const host = new ScriptedHost((a) => (a[0] === 'sh' ? { stdout: 'ok\n' } : undefined));
    expect(await lines(host, { ...base, ssh })).toEqual([
      'pass tcp forwarding: SSH direct-tcpip channel to 127.0.0.1:22 opened (and closed)',
      'pass socket forwarding: SSH streamlocal channel to /var/run/docker.sock opened (and closed)',
    ]);
    expect(host.channels).toEqual(['tcp 127.0.0.1:22', 'unix /var/run/docker.sock']);
  });

  it('AllowTcpForwarding no / AllowStreamLocalForwarding no: clear failures', async () => {
    const host = new ScriptedHost((a) => (a[0] === 'sh' ? { stdout: 'ok\n' } : undefined));
    host.tcp = prohibited('a connection to 127.0.0.1:22');
    host.socket = prohibited('the Unix socket /var/run/docker.sock');
    const got = await lines(host, { ...base, ssh });
    expect(got[0]).toBe(
      'fail tcp forwarding: sshd refuses TCP forwarding for deploy (AllowTcpForwarding no, or DisableForwarding yes); deploy needs it for HTTP health probes: set AllowTcpForwarding local (or yes) for deploy',
    );
    expect(got[1]).toMatch(
      /^fail socket forwarding: sshd refuses Unix socket forwarding for deploy \(AllowStreamLocalForwarding no, or DisableForwarding yes\)/,
    );
  });

  it('a refused TCP connection at the far end still proves forwarding; a refusal warns when nothing needs it', async () => {
    const host = new ScriptedHost(() => undefined);
    host.tcp = new ConnectionError(
      'deploy@web1:22 could not open a connection to 127.0.0.1:22: (SSH) Channel open failure: Connection refused',
    );
    expect(await lines(host, { ...base, ssh: { user: 'deploy', port: 22 } })).toEqual([
      expect.stringMatching(
        /^pass tcp forwarding: SSH direct-tcpip channels are allowed \(127\.0\.0\.1:22 answered: .*Connection refused\)$/,
      ),
    ]);
    host.tcp = prohibited('a connection');
    expect(await lines(host, { ...base, ssh: { user: 'deploy', port: 22 } })).toEqual([
      expect.stringMatching(
        /^warn tcp forwarding: sshd refuses TCP forwarding for deploy .*this config does not need it yet/,
      ),
    ]);
  });

  it.each([
    [
      'missing',
      /^fail socket forwarding: \/var\/run\/docker\.sock does not exist on the host: set the target's docker-socket$/,
    ],
    [
      'denied',
      /^fail socket forwarding: deploy may not connect to \/var\/run\/docker\.sock: add deploy to the socket's group$/,
    ],
    ['not-a-socket', /^fail socket forwarding: \/var\/run\/docker\.sock is not a Unix socket/],
  ])('a socket channel refused, the socket %s', async (access, want) => {
    const host = new ScriptedHost((a) => (a[0] === 'sh' ? { stdout: `${access}\n` } : undefined));
    host.socket = prohibited('the Unix socket');
    expect((await lines(host, { ...base, ssh }))[1]).toMatch(want);
  });
});

describe('compose file', () => {
  const compose = {
    command: ['docker-compose'],
    directory: '/srv/shop',
    'version-env': 'APP_VERSION',
    pull: true,
    files: ['prod.yml'],
  };
  it('runs config -q in the directory with the version variable set; a failure shows compose’s words', async () => {
    const ok = new ScriptedHost(() => undefined);
    expect(await lines(ok, { ...base, compose, env: { DOCKER_HOST: 'unix:///d.sock' } })).toEqual([
      'pass compose file: docker-compose -f prod.yml config -q resolves in /srv/shop',
    ]);
    expect(ok.ran).toEqual([
      {
        argv: ['docker-compose', '-f', 'prod.yml', 'config', '-q'],
        cwd: '/srv/shop',
        env: { DOCKER_HOST: 'unix:///d.sock', APP_VERSION: 'pre-deploy-check' },
      },
    ]);
    const bad = new ScriptedHost(() => ({
      code: 1,
      stderr: "ERROR: The Compose file './prod.yml' is invalid because:\nservices.api.ports is invalid\n",
    }));
    expect(await lines(bad, { ...base, compose })).toEqual([
      "fail compose file: docker-compose -f prod.yml config -q in /srv/shop fails (exit 1): ERROR: The Compose file './prod.yml' is invalid because: services.api.ports is invalid",
    ]);
  });
});

describe('compose replicas (rolling with the compose driver)', () => {
  const HOST = { network: 'host', containerHealth: false } as const;
  const compose = { command: ['docker-compose'], directory: '/srv/shop', 'version-env': 'APP_VERSION', pull: true };
  /** compose config -q passes; compose config prints `printed` (v1.29 form). */
  const resolving = (printed: string) =>
    new ScriptedHost((a) => (a.at(-1) === 'config' ? { stdout: printed } : undefined));
  const WEB = `services:
  web:
    image: acme/web:pre-deploy-check
    network_mode: host
    environment: { SECRET_KEY: s3cr3t-from-env-file, MODE: prod }
    volumes: [data:/data:rw]
    healthcheck: { test: [CMD, /bin/true], interval: 2s }
    depends_on: { db: { condition: service_started } }
    ports: ['8080:8080']
volumes: { data: {} }
`;
  it('says what each replica carries and what is replaced, never a value', async () => {
    const host = resolving(WEB);
    const got = await lines(host, { ...base, compose, composeReplicas: { web: HOST } });
    expect(got).toEqual([
      'pass compose file: docker-compose config -q resolves in /srv/shop',
      'pass compose replicas: compose service web → replicas with 2 environment variables, volumes shop_data, its healthcheck, depends_on db (started, never recreated); replaced per replica: ports',
    ]);
    expect(got.join('\n')).not.toContain('s3cr3t');
    expect(host.ran.map((r) => r.argv.join(' '))).toEqual(['docker-compose config -q', 'docker-compose config']);
  });

  it('fails on a healthcheck the file disables when health.container waits for it', async () => {
    const disabled = resolving(
      WEB.replace('healthcheck: { test: [CMD, /bin/true], interval: 2s }', 'healthcheck: { disable: true }'),
    );
    const got = await lines(disabled, {
      ...base,
      compose,
      composeReplicas: { web: { network: 'host', containerHealth: true } },
    });
    expect(got[1]).toBe(
      'fail compose replicas: the compose file disables the healthcheck of web (healthcheck: disable: true), and services.web.health.container waits for it: enable it there, or configure health.http',
    );
  });

  it('fails on an external volume that does not exist (docker would make an empty one)', async () => {
    const printed = WEB.replace('volumes: { data: {} }', 'volumes: { data: { external: true, name: legacy_data } }');
    const host = new ScriptedHost((a) =>
      a.at(-1) === 'config'
        ? { stdout: printed }
        : a[1] === 'volume'
          ? { code: 1, stderr: 'Error: No such volume' }
          : undefined,
    );
    const got = await lines(host, { ...base, compose, composeReplicas: { web: HOST } });
    expect(got[1]).toBe(
      'fail compose replicas: compose service web uses external volume legacy_data, which does not exist: create it first, or remove external',
    );
    expect(host.ran.at(-1)?.argv).toEqual(['docker', 'volume', 'inspect', '--format', '{{.Name}}', 'legacy_data']);
    expect(host.ran[1]).toMatchObject({ cwd: '/srv/shop', env: { APP_VERSION: 'pre-deploy-check' } });
  });

  it('fails on a key rolling cannot carry, and on a network that disagrees with the file', async () => {
    const privileged = resolving(WEB.replace('    ports:', '    privileged: true\n    ports:'));
    expect((await lines(privileged, { ...base, compose, composeReplicas: { web: HOST } }))[1]).toMatch(
      /^fail compose replicas: compose service web: privileged is not carried into rolling replicas/,
    );
    expect(
      (
        await lines(resolving(WEB), {
          ...base,
          compose,
          composeReplicas: { web: { network: 'bridge', containerHealth: false } },
        })
      )[1],
    ).toBe(
      'fail compose replicas: the compose file runs web with network_mode: host, so services.web.network must be host (each replica gets its port in port-env)',
    );
  });
});

describe('host ports', () => {
  const range = (text: string) =>
    new ScriptedHost((a) =>
      a.join(' ') === 'cat -- /proc/sys/net/ipv4/ip_local_port_range' ? { stdout: text } : undefined,
    );
  it('passes below the ephemeral range; warns on an overlap, naming the service, the ranges and what to choose', async () => {
    expect(await lines(range('32768\t60999\n'), { ...base, hostPorts: { web: [18000, 18009] } })).toEqual([
      'pass host ports: web 18000-18009: outside the ephemeral range 32768-60999',
    ]);
    expect(
      await lines(range('32768\t60999\n'), { ...base, hostPorts: { web: [18000, 18009], api: [32760, 32779] } }),
    ).toEqual([
      "warn host ports: services.api.host-ports 32760-32779 overlap the host's ephemeral port range 32768-60999 (net.ipv4.ip_local_port_range): a port an outgoing connection holds cannot be bound, and a replica fails to start; choose ports below 32768",
    ]);
  });
});

describe('the dry run plan', () => {
  it('lists the commands and channels in the order they run', () => {
    const plan = prerequisitePlan({
      ...base,
      stateDir: { dir: '/s/p', journal: '/s/p/journal.json' },
      nginx: NGINX,
      ssh: { user: 'deploy', port: 22, dockerSocket: '/var/run/docker.sock' },
      compose: { command: ['docker', 'compose'], directory: '/srv/shop', 'version-env': 'V', pull: true },
    });
    expect(plan.map((i) => ('note' in i ? i.note : i.argv.slice(0, 3).join(' ')))).toEqual([
      expect.stringMatching(/^sh -c d=\$1; /),
      'cat -- /run/nginx.pid',
      'then: ps -o args= -p PID (PID from /run/nginx.pid)',
      'sudo -n /usr/sbin/nginx',
      'sudo -n -l',
      'sudo -n -l',
      'SSH: open a direct-tcpip channel to 127.0.0.1:22 and close it',
      expect.stringMatching(/^sh -c if \[ -S/),
      'SSH: open a streamlocal channel to /var/run/docker.sock and close it',
      'docker compose config',
    ]);
  });
});
