/**
 * Taking over a site a team laid out by hand: the upstream file holds the whole `upstream shop_web { … }` block with
 * keepalive, a backup server, comments and the team's app on 127.0.0.1:8000 (not started by the toolkit). The app
 * keeps serving until the new release is healthy and switched in; a failed take-over leaves the file byte-identical;
 * the journal records what served before, and rollback puts it back.
 */
import { describe, expect, it } from 'vitest';
import { deployAction, rollbackAction, statusAction } from '../../../src/actions/catalog.js';
import { engineConfig, UPSTREAM } from './configs.js';
import type { Behaviour } from './fake-engine.js';
import { journalOf, runFlow, upstreamWrites } from './run-flow.js';
import { installNginx, World } from './world.js';

const ENV = { environment: 'production' };
const UNHEALTHY: Behaviour = { http: { status: 503, body: '{"status":"starting"}' } };

const TEAM = `# shop upstream, see the ops wiki
upstream shop_web {
    keepalive 16;
    server 127.0.0.1:8000 max_fails=3 fail_timeout=10s;   # docker-compose app
    server 127.0.0.1:8099 backup;
}
`;

/** The primary server lines of the upstream as the file holds them now. */
function servers(world: World): string[] {
  const text = world.host().transport.fs.files.get(UPSTREAM) ?? '';
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('server ') && !l.includes('backup'));
}

function teamSite(): World {
  const world = new World();
  const t = world.host().transport;
  installNginx(t);
  t.fs.write(UPSTREAM, TEAM);
  t.apps.set(8000, () => ({ status: 200, body: '{"status":"ok"}' })); // the team's app answers there
  return world;
}

describe('take-over of a hand-laid site', () => {
  it('the team app serves until the first new replica is healthy and added; then it is drained, left running', async () => {
    const world = teamSite();
    const r = await runFlow(deployAction, { world, config: engineConfig(), inputs: { ...ENV, version: 'v1' } });
    expect(r.failed).toEqual([]);
    // Each write keeps the team's server until a replica of ours serves beside it.
    expect(upstreamWrites(r)).toEqual([[8000, 18000], [18000], [18000, 18001]]);
    const text = world.host().transport.fs.files.get(UPSTREAM) ?? '';
    expect(text).toBe(
      TEAM.replace(
        '    server 127.0.0.1:8000 max_fails=3 fail_timeout=10s;   # docker-compose app\n',
        '    server 127.0.0.1:18000 max_fails=3 fail_timeout=10s;\n    server 127.0.0.1:18001 max_fails=3 fail_timeout=10s;\n',
      ),
    );
    const j = journalOf(world);
    expect(j.releases).toEqual([
      ['adopted', 'superseded'],
      ['v1', 'live'],
    ]);
    const [adopted, v1] = j.raw.releases;
    expect(adopted?.origin).toBe('adopted');
    expect(adopted?.services.web?.servers).toEqual([
      { target: 'web1', address: '127.0.0.1:8000', params: ['max_fails=3', 'fail_timeout=10s'] },
    ]);
    expect(v1?.previous).toBe(adopted?.id);
    expect(r.lines.join('\n')).toMatch(
      /the upstream serves 127\.0\.0\.1:8000 \(a site this toolkit has not deployed yet\)/,
    );
  });

  it('a first deploy that fails its health gate leaves the file byte-identical and never writes it', async () => {
    const world = teamSite();
    world.behave({ 'shop/web:v1': UNHEALTHY });
    const r = await runFlow(deployAction, { world, config: engineConfig(), inputs: { ...ENV, version: 'v1' } });
    expect(r.ok).toBe(false);
    expect(upstreamWrites(r)).toEqual([]);
    expect(world.host().transport.fs.files.get(UPSTREAM)).toBe(TEAM);
    expect(journalOf(world).releases).toEqual([['v1', 'failed']]);
  });

  it('a take-over that fails at the second replica puts the file back byte for byte (the team app serving)', async () => {
    const world = teamSite();
    world.behave((c) => (c.name.endsWith('-1') ? UNHEALTHY : undefined));
    const r = await runFlow(deployAction, { world, config: engineConfig(), inputs: { ...ENV, version: 'v1' } });
    expect(r.ok).toBe(false);
    expect(upstreamWrites(r).at(-1)).toEqual([8000]);
    expect(world.host().transport.fs.files.get(UPSTREAM)).toBe(TEAM);
    expect(r.engineCalls.filter((c) => c.startsWith('removeContainer'))).toHaveLength(2);
  });

  it('rollback after a take-over puts the team app back (with its parameters) and stops ours, kept', async () => {
    const world = teamSite();
    expect(
      (await runFlow(deployAction, { world, config: engineConfig(), inputs: { ...ENV, version: 'v1' } })).failed,
    ).toEqual([]);
    const r = await runFlow(rollbackAction, { world, config: engineConfig(), inputs: ENV });
    expect(r.failed).toEqual([]);
    expect(servers(world)).toEqual(['server 127.0.0.1:8000 max_fails=3 fail_timeout=10s;']);
    expect(r.engineCalls.filter((c) => c.startsWith('stopContainer'))).toHaveLength(2);
    expect(journalOf(world).releases).toEqual([
      ['adopted', 'live'],
      ['v1', 'rolled-back'],
    ]);
  });

  it('the rollback dry run says which servers go back and what stops; nothing changes', async () => {
    const world = teamSite();
    expect(
      (await runFlow(deployAction, { world, config: engineConfig(), inputs: { ...ENV, version: 'v1' } })).failed,
    ).toEqual([]);
    const before = world.host().transport.fs.files.get(UPSTREAM);
    const r = await runFlow(rollbackAction, { world, config: engineConfig(), inputs: { ...ENV, 'dry-run': 'true' } });
    expect(r.failed).toEqual([]);
    expect(r.lines).toContain(
      '  web: the site as taken over: web1:127.0.0.1:8000 back into the upstream once healthy, then stop the replicas of v1 (kept)',
    );
    expect(world.host().transport.fs.files.get(UPSTREAM)).toBe(before);
  });

  it('rollback to a taken-over app that no longer answers is refused before any change', async () => {
    const world = teamSite();
    expect(
      (await runFlow(deployAction, { world, config: engineConfig(), inputs: { ...ENV, version: 'v1' } })).failed,
    ).toEqual([]);
    world.host().transport.apps.delete(8000);
    const before = world.host().transport.fs.files.get(UPSTREAM);
    const r = await runFlow(rollbackAction, { world, config: engineConfig(), inputs: ENV });
    expect(r.failed).toEqual([
      expect.stringMatching(/what served before the take-over no longer answers on 127\.0\.0\.1:8000; start it again/),
    ]);
    expect(world.host().transport.fs.files.get(UPSTREAM)).toBe(before);
    expect(r.engineCalls.filter((c) => c.startsWith('stopContainer'))).toEqual([]);
  });

  it('rollback to a taken-over app that answers but fails the health gate is refused before any change', async () => {
    const world = teamSite();
    expect(
      (await runFlow(deployAction, { world, config: engineConfig(), inputs: { ...ENV, version: 'v1' } })).failed,
    ).toEqual([]);
    world.host().transport.apps.set(8000, () => ({ status: 404, body: 'not found' }));
    const before = world.host().transport.fs.files.get(UPSTREAM);
    const r = await runFlow(rollbackAction, { world, config: engineConfig(), inputs: ENV });
    expect(r.failed).toEqual([expect.stringMatching(/127\.0\.0\.1:8000 \(as taken over\) not healthy within 10s/)]);
    expect(world.host().transport.fs.files.get(UPSTREAM)).toBe(before);
    expect(r.engineCalls.filter((c) => c.startsWith('stopContainer'))).toEqual([]);
  });

  it('an upstream block under another name is refused before anything starts', async () => {
    const world = teamSite();
    world.host().transport.fs.write(UPSTREAM, TEAM.replace('shop_web', 'shop_api'));
    const r = await runFlow(deployAction, { world, config: engineConfig(), inputs: { ...ENV, version: 'v1' } });
    expect(r.failed).toEqual([expect.stringMatching(/holds upstream shop_api but not "shop_web"/)]);
    expect(r.engineCalls.filter((c) => c.startsWith('createContainer'))).toEqual([]);
  });
});

describe('drift: runbook status compares what runs with the live release', () => {
  const status = async (world: World) => {
    const r = await runFlow(statusAction, { world, config: engineConfig(), inputs: ENV });
    expect(r.failed).toEqual([]);
    return r.lines.filter((l) => /^(drift|\s+(DRIFT|note))/.test(l));
  };

  it('before the first deploy: a note that the first deploy takes the upstream over, no drift', async () => {
    expect(await status(teamSite())).toEqual([
      'drift: none (what runs is what the journal says is live)',
      '  note  web1/web: not deployed yet: the upstream serves 127.0.0.1:8000; the first deploy takes it over',
    ]);
  });

  it('after a deploy none; then a server changed by hand, a replica stopped and another image are each named', async () => {
    const world = teamSite();
    expect(
      (await runFlow(deployAction, { world, config: engineConfig(), inputs: { ...ENV, version: 'v1' } })).failed,
    ).toEqual([]);
    expect(await status(world)).toEqual(['drift: none (what runs is what the journal says is live)']);
    // Running, but its HEALTHCHECK fails now: Docker says so, and so does status.
    world.behave({ 'shop/web:v1': { health: 'unhealthy' } });
    expect(await status(world)).toEqual([
      'drift (2):',
      expect.stringMatching(
        /^ {2}DRIFT {2}web1\/web: shop-production-web-\S+-v1-0 of the live release v1 runs, but Docker reports it unhealthy \(Up 5 seconds \(unhealthy\)\)$/,
      ),
      expect.stringMatching(/-v1-1 of the live release v1 runs, but Docker reports it unhealthy/),
    ]);
    world.behave({});
    const t = world.host().transport;
    // By hand: the second replica's server line replaced by another server.
    t.fs.write(UPSTREAM, (t.fs.files.get(UPSTREAM) ?? '').replace('127.0.0.1:18001', '127.0.0.1:7000'));
    const [first, second] = [...world.host().engine.containers.values()];
    if (!first || !second) throw new Error('two replicas expected');
    first.state = 'exited';
    second.imageId = 'sha256:feedfacefeedface';
    expect(await status(world)).toEqual([
      'drift (4):',
      expect.stringMatching(/^ {2}DRIFT {2}web1\/web: shop-production-web-\S+-v1-0 of the live release v1 is exited$/),
      expect.stringMatching(
        /^ {2}DRIFT {2}web1\/web: shop-production-web-\S+-v1-1 runs image feedfacefeed, the journal recorded \w{12}$/,
      ),
      '  DRIFT  web1/web: the upstream serves 127.0.0.1:7000, which no replica of the live release holds (added by hand?)',
      expect.stringMatching(
        /^ {2}DRIFT {2}web1\/web: 127\.0\.0\.1:18001 of the live release v1 is not in the upstream$/,
      ),
    ]);
  });
});

describe('nginx in a container (strategy.proxy.nginx.container)', () => {
  it('tests and reloads through the Engine API, waits for the new workers of its main process', async () => {
    const world = new World();
    const t = world.host().transport;
    t.fs.write(UPSTREAM, TEAM);
    t.busyPorts.add(8000);
    const engine = world.host().engine;
    const nginx = engine.addForeign('edge-nginx', 'nginx:1.25');
    let generation = 0;
    engine.execAnswers.set('edge-nginx', (argv) => {
      if (argv.join(' ') === 'nginx -s reload') generation += 1;
      return argv.join(' ') === 'nginx -t'
        ? { stderr: 'nginx: configuration file /etc/nginx/nginx.conf test is successful' }
        : {};
    });
    const master = String(4000 + Number(nginx.id.slice(1, 4)));
    t.script(['ps', '-o', 'pid=', '--ppid', master], () => ({ stdout: `${5000 + generation}\n` }));
    const config = engineConfig().replace(
      '      upstream: shop_web\n',
      '      upstream: shop_web\n      container: edge-nginx\n',
    );
    const r = await runFlow(deployAction, { world, config, inputs: { ...ENV, version: 'v1' } });
    expect(r.failed).toEqual([]);
    expect(r.engineCalls.filter((c) => c.startsWith('execInContainer'))).toEqual([
      'execInContainer edge-nginx nginx -t',
      'execInContainer edge-nginx nginx -s reload',
      'execInContainer edge-nginx nginx -t',
      'execInContainer edge-nginx nginx -s reload',
      'execInContainer edge-nginx nginx -t',
      'execInContainer edge-nginx nginx -s reload',
    ]);
    expect(r.commands.filter((c) => c.startsWith('nginx') || c.includes('nginx.pid'))).toEqual([]);
    expect(servers(world)).toEqual([
      'server 127.0.0.1:18000 max_fails=3 fail_timeout=10s;',
      'server 127.0.0.1:18001 max_fails=3 fail_timeout=10s;',
    ]);
  });

  it('a stopped nginx container is refused before the upstream file changes', async () => {
    const world = new World();
    const t = world.host().transport;
    t.fs.write(UPSTREAM, TEAM);
    t.busyPorts.add(8000);
    world.host().engine.addForeign('edge-nginx', 'nginx:1.25').state = 'exited';
    const config = engineConfig().replace(
      '      upstream: shop_web\n',
      '      upstream: shop_web\n      container: edge-nginx\n',
    );
    const r = await runFlow(deployAction, { world, config, inputs: { ...ENV, version: 'v1' } });
    expect(r.failed).toEqual(['web1: nginx container edge-nginx is not running (exited)']);
    expect(t.fs.files.get(UPSTREAM)).toBe(TEAM);
  });
});

describe('what a deploy finds before it starts anything', () => {
  it('an upstream file the deploy user cannot write is refused before a container starts', async () => {
    const world = teamSite();
    const t = world.host().transport;
    t.readOnly.add(UPSTREAM);
    t.readOnly.add('/etc/nginx/upstreams');
    const r = await runFlow(deployAction, { world, config: engineConfig(), inputs: { ...ENV, version: 'v1' } });
    expect(r.failed).toEqual([
      expect.stringMatching(
        /^web1: cannot write \/etc\/nginx\/upstreams\/shop\.conf: neither the file nor its directory/,
      ),
    ]);
    expect(r.engineCalls.filter((c) => c.startsWith('createContainer'))).toEqual([]);
    expect(t.fs.files.get(UPSTREAM)).toBe(TEAM);
  });

  it('a replica of ours that runs but is not in the upstream (a dead run left it) is not put back; it is stopped', async () => {
    const world = new World();
    installNginx(world.host().transport);
    expect(
      (await runFlow(deployAction, { world, config: engineConfig(), inputs: { ...ENV, version: 'v1' } })).failed,
    ).toEqual([]);
    // By hand (or a killed run): v1#1 taken out of the upstream while it keeps running.
    const t = world.host().transport;
    t.fs.write(UPSTREAM, (t.fs.files.get(UPSTREAM) ?? '').replace(/server 127\.0\.0\.1:18001[^\n]*\n/, ''));
    const r = await runFlow(deployAction, { world, config: engineConfig(), inputs: { ...ENV, version: 'v2' } });
    expect(r.failed).toEqual([]);
    expect(upstreamWrites(r).every((ports) => !ports.includes(18001))).toBe(true);
    expect(r.lines.join('\n')).toMatch(/-v1-1 runs but is not in the upstream; stopped once the new release serves/);
    expect(r.engineCalls.filter((c) => c.startsWith('stopContainer'))).toHaveLength(2);
  });
});
