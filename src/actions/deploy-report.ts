import { composeConfig, composePull, composeUp } from '../commands/compose.js';
import type { Config, Environment } from '../config/schema.js';
import { toRemoteCommand } from '../core/quote.js';
import type { Release } from '../deploy/journal.js';
import { pullDecision } from '../deploy/pull-policy.js';

/** The dry-run plan: per host, what the deploy would do. */
export function planLines(
  config: Config,
  environmentName: string,
  environment: Environment,
  services: string[],
  strategy: string,
  version: string,
  driver: 'engine' | 'compose',
): string[] {
  const targets = environment.targets.map((t) => t.name).join(', ');
  const lines = [
    `${config.app}/${environmentName}: deploy ${version} with ${strategy} (${driver} driver) to ${targets}`,
  ];
  const nginx = config.strategy.proxy?.nginx;
  for (const t of environment.targets) {
    lines.push(`${t.name}:`);
    for (const name of services) {
      const s = config.services?.[name];
      if (!s) continue;
      const ports = s['host-ports'] ? ` on ports ${s['host-ports'][0]}-${s['host-ports'][1]}` : '';
      lines.push(
        `  ${name}: ${s.replicas} × ${s.image}:${version}${ports} (${s.network} network), health: ${s.health?.http ? `GET ${s.health.http.path}` : s.health?.container ? 'container HEALTHCHECK' : 'running'}`,
      );
      const compose = config.compose;
      if (driver === 'compose' && compose && strategy === 'rolling') {
        const cmdEnv = { [compose['version-env']]: version, ...('env' in t ? t.env : {}) };
        lines.push(`    $ ${toRemoteCommand(composeConfig(compose), { cwd: compose.directory, env: cmdEnv })}`);
        lines.push(
          `    Docker API: create ${s.replicas} × compose service ${name} as the file resolves it (environment, volumes, network, healthcheck), each on its own port, start, health-gate, add to the upstream, then drain and stop the previous replicas (kept)`,
        );
      } else if (driver === 'compose' && compose) {
        const cmdEnv = { [compose['version-env']]: version, ...('env' in t ? t.env : {}) };
        const cmds = [
          ...(pullDecision(name, s, compose.pull).policy === 'always' ? [composePull(compose, [name])] : []),
          composeUp(compose, [name], { forceRecreate: true, scale: { [name]: s.replicas } }),
        ];
        for (const argv of cmds) lines.push(`    $ ${toRemoteCommand(argv, { cwd: compose.directory, env: cmdEnv })}`);
      } else {
        lines.push(
          `    Docker API: create ${s.replicas} × ${s.image}:${version}, start, health-gate, then stop the previous replicas (kept)`,
        );
      }
      if (nginx && (nginx.service ?? services[0]) === name) {
        lines.push(
          `    nginx upstream ${nginx.upstream} in ${nginx['upstream-file']}, then: ${nginx.test.join(' ')}; ${nginx.reload.join(' ')}`,
        );
      }
    }
  }
  return lines;
}

export function deploySummary(app: string, environmentName: string, r: Release, previous?: Release): string {
  const rows = Object.entries(r.services).flatMap(([name, s]) =>
    s.replicas.map(
      (x) => `| ${name} | ${x.target} | ${x.name} | ${x.port ?? ''} | \`${(s.imageId ?? '').slice(0, 19)}\` |`,
    ),
  );
  return [
    `### Deploy ${app}/${environmentName}: ${r.version} is live`,
    '',
    `Release \`${r.id}\` (${r.strategy}); previous: ${previous ? `\`${previous.id}\` (${previous.version})` : 'none'}`,
    '',
    '| service | target | container | port | image |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
