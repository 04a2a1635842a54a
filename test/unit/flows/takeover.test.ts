/**
 * Taking over a site a team laid out by hand: the upstream file holds the whole `upstream shop_web { … }` block with
 * keepalive, a backup server, comments and the team's app on 127.0.0.1:8000 (not started by the toolkit). The app
 * keeps serving until the new release is healthy and switched in; a failed take-over leaves the file byte-identical;
 * the journal records what served before, and rollback puts it back.
 */
import { describe, expect, it } from 'vitest';
import { deployAction, rollbackAction } from '../../../src/actions/catalog.js';
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
  t.busyPorts.add(8000); // the team's app answers there
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

  it('rollback to a taken-over app that no longer answers is refused before any change', async () => {
    const world = teamSite();
    expect(
      (await runFlow(deployAction, { world, config: engineConfig(), inputs: { ...ENV, version: 'v1' } })).failed,
    ).toEqual([]);
    world.host().transport.busyPorts.delete(8000);
    const before = world.host().transport.fs.files.get(UPSTREAM);
    const r = await runFlow(rollbackAction, { world, config: engineConfig(), inputs: ENV });
    expect(r.failed).toEqual([
      expect.stringMatching(/what served before the take-over no longer answers on 127\.0\.0\.1:8000; start it again/),
    ]);
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
