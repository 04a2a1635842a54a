/**
 * deploy, whole flow: the complete command list of a rolling deploy (lock, journal, nginx, unlock), the health and
 * port probes it sends through the target, and the refusals and dry run that open no connection.
 */
import { describe, expect, it } from 'vitest';
import { deployAction } from '../../../src/actions/catalog.js';
import { engineConfig, JOURNAL, LEASE, LOCK, STATE, UPSTREAM } from './configs.js';
import { runFlow } from './run-flow.js';
import { installNginx, World } from './world.js';

const ENV = { environment: 'production' };

describe('deploy flow: commands', () => {
  it('sends exactly these commands for v2 over v1: lock, journal, four nginx switches, journal, unlock', async () => {
    const world = new World();
    installNginx(world.host().transport);
    await runFlow(deployAction, { world, config: engineConfig(), inputs: { ...ENV, version: 'v1' } });
    const r = await runFlow(deployAction, { world, config: engineConfig(), inputs: { ...ENV, version: 'v2' } });
    const nginxSwitch = [
      `cat -- ${UPSTREAM}`,
      'cat -- /run/nginx.pid', // the master and its workers, known before anything changes
      'ps -o pid= --ppid 100',
      'test -w /etc/nginx/upstreams', // a directory we may write: atomic; else the file in place
      `write ${UPSTREAM}`,
      'nginx -t',
      'nginx -s reload',
      'ps -o pid= --ppid 100',
    ];
    expect(r.steps).toEqual([
      `mkdir -p -- ${STATE}`,
      `mkdir -- ${LOCK}`,
      `write ${LEASE}`,
      `cat -- ${JOURNAL}`, // maintenance on? (then the replicas stay out of the upstream)
      `cat -- ${JOURNAL}`,
      `write ${JOURNAL}`, // stale in-progress releases swept
      `cat -- ${JOURNAL}`,
      `write ${JOURNAL}`, // v2 in progress
      `cat -- ${UPSTREAM}`, // as it was: servers we did not start stay until switched; a failure puts it back
      'test -w /etc/nginx/upstreams', // writable, known before a container starts
      ...nginxSwitch, // add v2#0
      ...nginxSwitch, // drain v1#0
      ...nginxSwitch, // add v2#1
      ...nginxSwitch, // drain v1#1
      `cat -- ${JOURNAL}`,
      `write ${JOURNAL}`, // v2 live, v1 superseded
      `cat -- ${LEASE}`,
      `rm -rf -- ${LOCK}`,
    ]);
    // The fold hides nothing: each `write` is mkdir -p, dd to a temp file, mv -f over the file, sync.
    expect(r.commands.slice(2, 6)).toEqual([
      `mkdir -p -- ${LOCK}`,
      `dd of=${LEASE}.tmp-RANDOM conv=fsync status=none`,
      `mv -f -- ${LEASE}.tmp-RANDOM ${LEASE}`,
      `sync -- ${LOCK}`,
    ]);
    // Health probes and port probes go through the target (connectTcp), never from the runner.
    expect(r.tcp.map((t) => `${t.address} ${t.outcome}`)).toEqual([
      '127.0.0.1:18002 refused', // free port?
      '127.0.0.1:18002 http',
      '127.0.0.1:18002 http',
      '127.0.0.1:18002 http', // healthy, then stable for 2s
      '127.0.0.1:18003 refused',
      '127.0.0.1:18003 http',
      '127.0.0.1:18003 http',
      '127.0.0.1:18003 http',
    ]);
  });

  it.each<{ name: string; inputs: Record<string, string>; config?: string; failed: string }>([
    {
      name: 'an unknown service',
      inputs: { version: 'v2', services: 'api' },
      failed: 'input "services": unknown api; the config defines: web',
    },
    {
      name: 'an engine-only key with the compose driver (rolling too: the compose file says how containers run)',
      inputs: { version: 'v2' },
      config: `${engineConfig().replace('    stop-grace: 10s\n', '    stop-grace: 10s\n    user: app\n')}\ncompose: { directory: /srv/shop }\n`,
      failed:
        'services.web.user is for the engine driver, which creates the containers itself; with the compose driver the compose file says how its containers run: write it there, or use strategy.driver: engine',
    },
  ])('refuses $name before opening any connection', async (c) => {
    const r = await runFlow(deployAction, { config: c.config ?? engineConfig(), inputs: { ...ENV, ...c.inputs } });
    expect(r.failed).toEqual([c.failed]);
    expect(r.connector).toEqual(['close']);
    expect(r.commands).toEqual([]);
  });

  it('dry run: prints the plan and the upstream file as the deploy will leave it; reads it, runs nothing else', async () => {
    const world = new World();
    world
      .host()
      .transport.fs.write(
        UPSTREAM,
        'upstream shop_web {\n    keepalive 8;\n    server 127.0.0.1:8000 max_fails=3;  # by hand\n}\n',
      );
    const r = await runFlow(deployAction, {
      world,
      config: engineConfig(),
      inputs: { ...ENV, version: 'v2', 'dry-run': 'true' },
    });
    expect(r.ok).toBe(true);
    expect(r.connector).toEqual(['shell web1', 'close']);
    // The journal (the env values the live release carries) and the upstream file, only read.
    expect(r.commands).toEqual([`cat -- ${JOURNAL}`, `cat -- ${UPSTREAM}`]);
    expect(r.lines).toEqual([
      '::group::Plan (dry run: nothing is changed)',
      'shop/production: deploy v2 with rolling (engine driver) to web1',
      'web1:',
      '  web: 2 × shop/web:v2 on ports 18000-18009 (bridge network), health: GET /health',
      '    Docker API: create 2 × shop/web:v2, start, health-gate, then stop the previous replicas (kept)',
      `    nginx upstream shop_web in ${UPSTREAM}, then: nginx -t; nginx -s reload`,
      `web1: ${UPSTREAM} after the deploy (the upstream block; only its server lines change; serving 127.0.0.1:8000 now, kept until the new replicas serve):`,
      '  | upstream shop_web {',
      '  |     keepalive 8;',
      '  |     server 127.0.0.1:18000 max_fails=3;',
      '  |     server 127.0.0.1:18001 max_fails=3;',
      '  | }',
      '::endgroup::',
    ]);
  });
});
