/** The meaning of `environments:` and its targets (see reference.ts for the shape and how docs are generated). */
import type { KeyReferences, SectionReference } from './reference.js';

const T = 'environments.<name>.targets[]';

export const ENVIRONMENT_KEYS: KeyReferences = {
  'environments.<name>.url': {
    meaning:
      "The public URL. Used as the deployment's `environment_url` and as the base for smoke-check URLs that start with `/`.",
    example: 'https://shop.example.com',
  },
  'environments.<name>.targets': {
    meaning:
      'The servers, at least one, with unique names. The first one is the **primary**: the journal, the lock, backups and migrations live there.',
    example: [{ name: 'web1', ssh: { host: '10.0.0.5', user: 'deploy' } }],
  },
  'environments.<name>.state-dir': {
    meaning:
      'The directory on the primary target for the journal (`<state-dir>/<environment>/journal.json`) and the lock (`<state-dir>/<environment>/lock`). The deploy user must be able to create and write it ([server setup](server-setup.md#the-state-directory)).',
    example: '/var/lib/runbook/shop',
    defaultNote: '`/var/lib/runbook/<app>`',
  },
  'environments.<name>.load-balancer': {
    meaning:
      "The target whose nginx fronts every host: `strategy.proxy.nginx`'s files are on it, and its upstream lists each host's replicas at the host's `address` (`10.0.0.5:18001`). Each host's deploy changes only its own servers there, one host at a time, draining a replica before it stops and adding one only after its health gate passed, probed from the load balancer (the path nginx takes). The load balancer runs a service only when its `roles` name one of the service's roles. Replicas must be reachable there: `network: host`, the app listening on the host's address (a bridge container's port is published on 127.0.0.1 only, so that is refused). It must be an ssh or local target; rolling, recreate and blue-green are supported (canary measures each host's own nginx). Without it, each host's own nginx fronts its own replicas.",
    example: 'lb1',
  },
  'environments.<name>.checks': {
    meaning:
      'Overrides of [`checks`](#checks) for this environment. It takes the same keys. A key given here replaces the top-level value, and keys not given keep it.',
    example: { 'min-free-disk': '10%', windows: [] },
  },
  [`${T}.name`]: {
    meaning:
      "Used in logs and reports, and as a smoke check's `via`. Letters, digits, `.`, `_` and `-`, at most 63 characters, starting with a letter or digit.",
    example: 'web1',
  },
  [`${T}.ssh`]: {
    meaning:
      'Reach the server over SSH. The key and the pinned host keys come from the action inputs (`ssh-private-key`, `ssh-known-hosts`).',
    example: { host: '10.0.0.5', user: 'deploy' },
  },
  [`${T}.local`]: {
    meaning:
      'Run on the runner itself, for a self-hosted runner on the server. Only `true` is allowed: remove the key otherwise.',
    example: true,
  },
  [`${T}.docker`]: {
    meaning:
      "Only a Docker Engine API endpoint, with no shell. Deploy and rollback drive it with the engine driver: its containers through the API (their labels say which release each is), their health gates and port checks over TCP to the target's `address`, from the environment's `load-balancer` (without one, from the runner). The journal and lock stay on the primary, which must be an `ssh` or `local` target. What needs a shell on the host is refused when the config is read: the compose driver, a service's `env-file` (use `env` or `secret-env`), and `strategy.proxy` without a `load-balancer` (nginx's files are on the load balancer). Its replicas must listen where the load balancer reaches them (with `network: host`, on that address, not only 127.0.0.1); a smoke check's `via` cannot name it.",
    example: { host: 'unix:///var/run/docker.sock' },
  },
  [`${T}.docker-socket`]: {
    meaning:
      'The Docker Engine socket on the host, used by the engine driver. For ssh targets it is tunnelled through the SSH connection. Only for ssh and local targets.',
    example: '/run/docker.sock',
    default: '/var/run/docker.sock',
  },
  [`${T}.address`]: {
    meaning:
      "Where the environment's `load-balancer` reaches this host's replicas (an IP address or host name). The replicas must listen there, not only on 127.0.0.1.",
    example: '10.0.1.5',
    defaultNote:
      'the `ssh.host`, the host of a `tcp://` or `ssh://` `docker.host`; `127.0.0.1` for local targets and the load balancer itself',
  },
  [`${T}.roles`]: {
    meaning:
      'The roles this host plays (`web`, `worker` …): it runs the services whose `roles` name one of them. A target without roles runs every service.',
    example: ['web'],
  },
  [`${T}.env`]: {
    meaning:
      'Environment variables that are not secret, set for every command on the target (for example `DOCKER_HOST` for compose). Only for ssh and local targets.',
    example: { COMPOSE_PARALLEL_LIMIT: '2' },
    default: {},
  },
  [`${T}.ssh.host`]: {
    meaning: 'The server. A value that starts with `-` or contains spaces or shell characters is refused.',
    example: '10.0.0.5',
  },
  [`${T}.ssh.port`]: { meaning: "The server's SSH port.", example: 2222 },
  [`${T}.ssh.user`]: {
    meaning:
      'The user to log in as (the deploy user). Letters, digits, `_`, `.` and `-`, at most 32 characters, starting with a letter or `_`.',
    example: 'deploy',
  },
  [`${T}.ssh.jump`]: {
    meaning: 'Connect through this jump host first, with the same key and known_hosts.',
    example: { host: 'bastion.example.com', user: 'jump' },
  },
  [`${T}.ssh.jump.host`]: { meaning: 'The jump host.', example: 'bastion.example.com' },
  [`${T}.ssh.jump.port`]: { meaning: "The jump host's SSH port.", example: 22 },
  [`${T}.ssh.jump.user`]: { meaning: 'The user to log in to the jump host as.', example: 'jump' },
  [`${T}.ssh.connect-timeout`]: {
    meaning: 'A host that does not answer within this time fails the run: from `1s` to `10m`.',
    example: '10s',
    default: '20s',
  },
  [`${T}.ssh.keepalive-interval`]: {
    meaning:
      'How often SSH keepalives are sent on an idle connection (a lost host is noticed after three unanswered): from `100ms` to `10m`.',
    example: '30s',
    default: '15s',
  },
  [`${T}.docker.host`]: {
    meaning:
      '`unix:///path/to/docker.sock` or `tcp://host:port`. A socket over SSH (`ssh://user@host`) is refused with the ssh target to write instead: an ssh target with `docker-socket` (its host key pinned, the socket tunnelled through the connection).',
    example: 'tcp://10.0.0.7:2376',
  },
  [`${T}.docker.tls`]: {
    meaning:
      'Mutual TLS for a `tcp://` host, and only for one. It names the variables that hold the PEM texts, which are kept in memory, and the key is masked.',
    example: { 'ca-env': 'DOCKER_TLS_CA', 'cert-env': 'DOCKER_TLS_CERT', 'key-env': 'DOCKER_TLS_KEY' },
  },
  [`${T}.docker.tls.ca-env`]: {
    meaning: "The variable holding the CA that signed the daemon's certificate.",
    example: 'DOCKER_TLS_CA',
  },
  [`${T}.docker.tls.cert-env`]: { meaning: 'The variable holding the client certificate.', example: 'DOCKER_TLS_CERT' },
  [`${T}.docker.tls.key-env`]: { meaning: 'The variable holding the client key.', example: 'DOCKER_TLS_KEY' },
  [`${T}.docker.allow-plain-tcp`]: {
    meaning:
      'Allow `tcp://` without TLS. Anyone on the network path then controls the daemon, so a loud warning is printed.',
    example: false,
  },
};

export const ENVIRONMENT_SECTIONS: readonly SectionReference[] = [
  {
    path: 'environments',
    title: '`environments`',
    examples: [
      `environments:
  production:
    url: https://shop.example.com
    state-dir: /var/lib/runbook/shop
    targets:
      - name: web1
        ssh: { host: 10.0.0.5, port: 22, user: deploy, connect-timeout: 10s }
      - name: web2
        ssh:
          host: 10.0.0.6
          user: deploy
          jump: { host: bastion.example.com, user: jump }
        docker-socket: /run/docker.sock
        env: { COMPOSE_PARALLEL_LIMIT: "2" }
      - name: engine1
        docker:
          host: tcp://10.0.0.7:2376
          tls: { ca-env: DOCKER_TLS_CA, cert-env: DOCKER_TLS_CERT, key-env: DOCKER_TLS_KEY }
    checks: { min-free-disk: 10% }
  staging:
    targets: [{ name: self, local: true }]
`,
    ],
  },
  {
    path: 'environments.<name>.targets',
    title: 'Targets',
    intro: 'A target names exactly one way to reach it: `ssh`, `local` or `docker`.',
  },
  {
    path: `${T}.ssh`,
    title: 'SSH targets',
    intro:
      'The private key and the pinned host keys are action inputs (`ssh-private-key`, `ssh-known-hosts`), never part of this file: see [server setup](server-setup.md#ssh-host-keys).',
  },
  { path: `${T}.docker`, title: 'Docker Engine API targets' },
];
