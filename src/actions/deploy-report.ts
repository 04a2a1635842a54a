import { blueGreenTimeline, canarySteps } from '../canary/report.js';
import type { SwitchEvent } from '../canary/types.js';
import { composeConfig, composePull, composeUp } from '../commands/compose.js';
import type { Config, Environment } from '../config/schema.js';
import { swarmSettings } from '../config/schema-swarm.js';
import { durationText } from '../config/units.js';
import { toRemoteCommand } from '../core/quote.js';
import { type EnvOverrides, envChangesOf, envChangeText, envInForce, envPlanLines } from '../deploy/env-overrides.js';
import { type Journal, liveRelease, type Release } from '../deploy/journal.js';
import { pullDecision } from '../deploy/pull-policy.js';
import type { EnvOverride } from '../inputs/env-overrides.js';
import { buildSummary, inline, type SummaryDoc } from '../report/summary.js';

/** The canary's gates as the plan shows them: `error rate ≤ 1%, p95 ≤ 500ms, ≥ 50 samples`. */
function gateText(g: NonNullable<Config['strategy']['canary']>['gates']): string {
  return [
    `error rate ≤ ${(g['error-rate'] * 100).toFixed(2)}%`,
    g.p95 === undefined ? '' : `p95 ≤ ${durationText(g.p95)}`,
    g.p99 === undefined ? '' : `p99 ≤ ${durationText(g.p99)}`,
    g['max-increase'] === undefined ? '' : `at most ${(g['max-increase'] * 100).toFixed(2)} points above stable`,
    `≥ ${g['min-samples']} samples, else ${g.inconclusive === 'wait' ? `wait up to ${durationText(g['inconclusive-wait'])}` : 'fail'}`,
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * The dry-run plan: per host, what the deploy would do. `envValues`: the env input's values in force for the release
 * (envPlan), which the compose commands run with.
 */
export function planLines(
  config: Config,
  environmentName: string,
  environment: Environment,
  services: string[],
  strategy: string,
  version: string,
  driver: 'engine' | 'compose' | 'swarm',
  envValues: EnvOverrides = {},
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
      const values = envValues[name] ?? {};
      if (driver === 'compose' && compose && strategy !== 'recreate') {
        const cmdEnv = { [compose['version-env']]: version, ...('env' in t ? t.env : {}), ...values };
        lines.push(`    $ ${toRemoteCommand(composeConfig(compose), { cwd: compose.directory, env: cmdEnv })}`);
        lines.push(
          `    Docker API: create ${s.replicas} × compose service ${name} as the file resolves it (environment, volumes, network, healthcheck), each on its own port, start, health-gate, add to the upstream, then drain and stop the previous replicas (kept)`,
        );
      } else if (driver === 'compose' && compose) {
        const cmdEnv = { [compose['version-env']]: version, ...('env' in t ? t.env : {}), ...values };
        const cmds = [
          // With env values: the resolved file must give the service each of them (compose/env.ts).
          ...(Object.keys(values).length > 0 ? [composeConfig(compose)] : []),
          ...(pullDecision(name, s, compose.pull).policy === 'always' ? [composePull(compose, [name])] : []),
          composeUp(compose, [name], { forceRecreate: true, scale: { [name]: s.replicas } }),
        ];
        for (const argv of cmds) lines.push(`    $ ${toRemoteCommand(argv, { cwd: compose.directory, env: cmdEnv })}`);
      } else if (driver === 'swarm') {
        const w = swarmSettings(config.strategy);
        lines.push(
          `    Docker API (swarm manager): create or update service ${config.app}-${environmentName}-${name}: ${s.replicas} × ${s.image}:${version} pinned by digest, ${w.order}, ${w.parallelism} at a time, delay ${durationText(w.delay)}, monitor ${durationText(w.monitor)}, on failure ${w['failure-action']}; wait up to ${durationText(w['converge-timeout'])} for every task to run healthy, nginx following the tasks that pass the health gate`,
        );
      } else {
        lines.push(
          `    Docker API: create ${s.replicas} × ${s.image}:${version}, start, health-gate, then stop the previous replicas (kept)`,
        );
      }
      const fronted = nginx && (nginx.service ?? services[0]) === name;
      if (fronted && strategy === 'blue-green') {
        lines.push(
          `    blue-green: the new slot smoked on its own ports, then the upstream switched in one reload, verified through nginx; the old slot kept running as the standby for ${durationText(config.strategy['blue-green'].standby)}`,
        );
      }
      const canary = config.strategy.canary;
      if (fronted && strategy === 'canary' && canary) {
        const steps = canary.steps.map(
          (x) => `${x.weight}% ${x.pause === 'until-promoted' ? 'until promoted' : durationText(x.pause)}`,
        );
        lines.push(
          `    canary: ${steps.join(' → ')}, each judged (${gateText(canary.gates)}); a breach puts the upstream back and stops the canary`,
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

/**
 * The plan's lines for the env input: the values the release would run with (the live release's carried over unless
 * `reset`, this run's set) and what changes; a value carried over that the config now refuses is said, not thrown.
 */
export function envPlan(
  config: Config,
  services: readonly string[],
  env: { overrides: readonly EnvOverride[]; reset: boolean },
  journal: Journal,
): { lines: string[]; values: EnvOverrides } {
  const live = liveRelease(journal);
  try {
    const after = envInForce(config, services, env.overrides, live, env.reset);
    const lines = envPlanLines(
      config,
      services,
      env.overrides,
      live,
      after,
      envChangesOf(config, services, live?.env, after),
    );
    const dropped = env.reset ? services.filter((s) => live?.env?.[s] !== undefined) : [];
    if (dropped.length > 0)
      lines.push(`env-reset: the env values ${live?.id} carried for ${dropped.join(', ')} are dropped`);
    return { lines, values: after };
  } catch (err) {
    return { lines: [`the deploy would stop before any change: ${(err as Error).message}`], values: {} };
  }
}

/**
 * The deploy's job summary section (the verdict, version and environment are the header's, ../report/verdict.ts):
 * the release (live, or a canary holding its share) and the one before it, its env values, the replicas, then a
 * canary's steps (table and charts) or a blue-green switch's timeline.
 */
export function deploySummary(
  app: string,
  environmentName: string,
  r: Release,
  previous?: Release,
  extra: { timeline?: readonly SwitchEvent[] } = {},
): string {
  const state =
    r.status === 'canary'
      ? `canary ${r.version} holds ${r.canary?.weight}% until promoted`
      : `${r.version} is ${r.status === 'live' ? 'live' : r.status}`;
  return buildSummary((doc) => {
    doc.heading('Release', 3);
    doc.paragraph(
      inline.join(
        [
          `${app}/${environmentName}: ${state}. Release `,
          inline.code(r.id),
          ` (${r.strategy}); previous: `,
          ...(previous ? [inline.code(previous.id), ` (${previous.version})`] : ['none']),
        ],
        '',
      ),
    );
    if (r.envChanges?.length)
      doc.paragraph(
        inline.join(
          [
            'Env changes: ',
            inline.join(
              r.envChanges.map((c) => inline.code(envChangeText(c))),
              ', ',
            ),
          ],
          '',
        ),
      );
    if (r.env) {
      const values = Object.entries(r.env).flatMap(([svc, vs]) =>
        Object.entries(vs).map(([n, v]) => inline.code(`${svc}.${n}=${v}`)),
      );
      doc.paragraph(
        inline.join(['Env values in force (the env input; until env-reset): ', inline.join(values, ', ')], ''),
      );
    }
    doc.table(
      ['service', 'target', 'container', 'port', 'image'],
      Object.entries(r.services).flatMap(([name, s]) =>
        s.replicas.map((x) => [
          name,
          x.target,
          x.name,
          x.port === undefined ? '' : String(x.port),
          s.imageId ? inline.code(s.imageId.slice(0, 19)) : '',
        ]),
      ),
    );
    if (r.canary) canarySteps(doc, r.canary.steps);
    if (extra.timeline) blueGreenTimeline(doc, extra.timeline);
    if (r.hosts) hostsTable(doc, r);
  });
}

const HOST_MARK: Record<string, string> = {
  live: '✅ live',
  failed: '❌ failed',
  cancelled: '⏹️ cancelled',
  'not started': '⏸️ not started',
  'rolled back': '↩️ rolled back',
  'left switched': '⚠️ left switched',
};

/** A fleet's hosts: where each stands after the release, how long its part took, why it failed. */
export function hostsTable(doc: SummaryDoc, r: Release): void {
  doc.heading('Hosts', 3);
  doc.table(
    ['host', 'state', 'took', 'detail'],
    Object.entries(r.hosts ?? {}).map(([host, h]) => [
      host,
      HOST_MARK[h.state] ?? h.state,
      h.seconds === undefined ? '' : `${h.seconds}s`,
      h.error ?? '',
    ]),
  );
}

/** The hosts table alone: the summary of a fleet release that failed. */
export function hostsSummary(r: Release): string {
  return buildSummary((doc) => hostsTable(doc, r));
}
