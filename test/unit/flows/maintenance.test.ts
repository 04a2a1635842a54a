/**
 * maintenance on/off, whole flow through the connection seam: the page nginx answers (written, tested, reloaded), the
 * upstream pointed at it and back, the journal's record, a deploy during maintenance, and what a rejection leaves.
 * Engine driver; `web` has 2 replicas on host ports 18000-18009 behind nginx.
 */
import { describe, expect, it } from 'vitest';
import { deployAction, maintenanceAction, statusAction } from '../../../src/actions/catalog.js';
import { engineConfig, LOCK, UPSTREAM } from './configs.js';
import { journalOf, runFlow } from './run-flow.js';
import { installNginx, World } from './world.js';

const ENV = { environment: 'production' };
const PAGE = '/etc/nginx/conf.d/shop-maintenance.conf';
const pageConfig = engineConfig({
  extra: `      maintenance: { file: ${PAGE}, listen: 8099, retry-after: 90s, body: "Back soon" }\n`,
});
const serverConfig = engineConfig({ extra: '      maintenance: { server: 127.0.0.1:8090 }\n' });
/** The `server` lines of an upstream file. */
const servers = (text: string | undefined) => (text ?? '').split('\n').filter((l) => l.startsWith('server '));
const port = (p: number) => `server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`;

/** A world with nginx, the page answering on 8099 once nginx serves it, and v1 deployed (ports 18000, 18001). */
async function liveV1(o: { testExit?: number; config?: string } = {}): Promise<World> {
  const world = new World();
  const t = world.host().transport;
  installNginx(t);
  const r = await runFlow(deployAction, { world, config: o.config ?? pageConfig, inputs: { ...ENV, version: 'v1' } });
  expect(r.failed).toEqual([]);
  if (o.testExit !== undefined) installNginx(t, { testExit: o.testExit });
  return world;
}

const files = (w: World) => w.host().transport.fs.files;
const maintenance = (world: World, mode: 'on' | 'off', config = pageConfig) =>
  runFlow(maintenanceAction, { world, config, inputs: { ...ENV, mode, reason: 'schema change' } });

describe('maintenance flow', () => {
  it('on: the page is written, tested and reloaded before the upstream points at it; the journal records both files', async () => {
    const world = await liveV1();
    world.host().transport.apps.set(8099, () => ({ status: 503, body: 'Back soon' }));
    const before = files(world).get(UPSTREAM);
    expect(servers(before)).toEqual([port(18000), port(18001)]);

    const r = await maintenance(world, 'on');

    expect(r.failed).toEqual([]);
    expect(servers(files(world).get(UPSTREAM))).toEqual([port(8099)]);
    const page = files(world).get(PAGE) ?? '';
    expect(page).toContain('listen 127.0.0.1:8099;');
    expect(page).toContain('add_header Retry-After 90 always;');
    expect(page).toContain('return 503 "Back soon";');
    // The page goes in (and is tested) before the upstream moves: two reloads, page first.
    const writes = r.steps.filter((l) => l.startsWith('write /etc/nginx') || l.startsWith('nginx '));
    expect(writes).toEqual([
      `write ${PAGE}`,
      'nginx -t',
      'nginx -s reload',
      `write ${UPSTREAM}`,
      'nginx -t',
      'nginx -s reload',
    ]);
    const rec = journalOf(world).raw.maintenance;
    expect(rec).toMatchObject({
      address: '127.0.0.1:8099',
      file: PAGE,
      reason: 'schema change',
      actor: 'octocat',
      liveRelease: journalOf(world).raw.releases[0]?.id,
      targets: { web1: { upstream: before, page: null } },
    });
    expect(r.outputs).toMatchObject({ maintenance: 'on', address: '127.0.0.1:8099', since: rec?.since });
    expect(r.summary.join('\n')).toContain('<h3>Maintenance on</h3>');
    expect(r.summary.join('\n')).toContain('<p>shop/production: maintenance is on since');
    expect(world.host().transport.fs.exists(LOCK)).toBe(false);
  });

  it('on twice keeps the first record and changes nothing; off puts both files back byte for byte', async () => {
    const world = await liveV1();
    world.host().transport.apps.set(8099, () => ({ status: 503, body: 'Back soon' }));
    const before = files(world).get(UPSTREAM);
    await maintenance(world, 'on');
    const first = journalOf(world).raw.maintenance;

    const again = await maintenance(world, 'on');
    expect(again.failed).toEqual([]);
    expect(again.steps.filter((l) => l.startsWith('nginx '))).toEqual([]);
    expect(again.lines.join('\n')).toContain('maintenance is on (it already was)');
    expect(journalOf(world).raw.maintenance).toEqual(first);
    const status = await runFlow(statusAction, { world, config: pageConfig, inputs: ENV });
    expect(status.lines.join('\n')).toContain(
      `maintenance: ON since ${first?.since} by octocat (schema change): traffic goes to 127.0.0.1:8099 until "runbook maintenance off"`,
    );

    const off = await maintenance(world, 'off');
    expect(off.failed).toEqual([]);
    expect(files(world).get(UPSTREAM)).toBe(before);
    expect(files(world).has(PAGE)).toBe(false);
    expect(journalOf(world).raw.maintenance).toBeUndefined();
    expect(off.outputs.maintenance).toBe('off');

    const offAgain = await maintenance(world, 'off');
    expect(offAgain.ok).toBe(true);
    expect(offAgain.lines.join('\n')).toContain('maintenance was not on; nothing to do');
    expect(offAgain.steps.filter((l) => l.startsWith('write /etc') || l.startsWith('nginx '))).toEqual([]);
  });

  it('a deploy during maintenance starts v2 out of traffic; off then points the upstream at v2', async () => {
    const world = await liveV1();
    world.host().transport.apps.set(8099, () => ({ status: 503, body: 'Back soon' }));
    await maintenance(world, 'on');
    const during = files(world).get(UPSTREAM);

    const d = await runFlow(deployAction, { world, config: pageConfig, inputs: { ...ENV, version: 'v2' } });
    expect(d.failed).toEqual([]);
    expect(d.lines.join('\n')).toContain(
      'traffic stays on the maintenance page (127.0.0.1:8099) until "runbook maintenance off"',
    );
    // Not one upstream write: the maintenance server is not adopted as a "foreign" server, v2 is not added.
    expect(d.steps.filter((l) => l.includes(UPSTREAM) || l.startsWith('nginx '))).toEqual([]);
    expect(files(world).get(UPSTREAM)).toBe(during);
    expect(journalOf(world).releases).toEqual([
      ['v1', 'superseded'],
      ['v2', 'live'],
    ]);

    const off = await maintenance(world, 'off');
    expect(off.failed).toEqual([]);
    expect(servers(files(world).get(UPSTREAM))).toEqual([port(18002), port(18003)]);
    expect(off.lines.join('\n')).toContain('shop_web → 127.0.0.1:18002, 127.0.0.1:18003 (the live release');
    expect(files(world).has(PAGE)).toBe(false);
  });

  it('nginx rejects the page: on fails, the page is removed, the upstream and the journal are untouched', async () => {
    const world = await liveV1({ testExit: 1 });
    const before = files(world).get(UPSTREAM);

    const r = await maintenance(world, 'on');

    expect(r.ok).toBe(false);
    expect(r.failed).toEqual([expect.stringMatching(/^nginx rejected \/etc\/nginx\/conf\.d\/shop-maintenance\.conf/)]);
    expect(files(world).get(UPSTREAM)).toBe(before);
    expect(files(world).has(PAGE)).toBe(false);
    expect(r.steps.filter((l) => l.startsWith('nginx -s'))).toEqual([]);
    expect(journalOf(world).raw.maintenance).toBeUndefined();
    expect(world.host().transport.fs.exists(LOCK)).toBe(false);
  });

  it('a page nothing answers on after the reload (not included): the page is taken out again, the upstream untouched', async () => {
    const world = await liveV1();
    const before = files(world).get(UPSTREAM);

    const r = await maintenance(world, 'on');

    expect(r.failed).toEqual([expect.stringMatching(/nothing answers on 127\.0\.0\.1:8099 .*included at http level/)]);
    expect(files(world).get(UPSTREAM)).toBe(before);
    expect(files(world).has(PAGE)).toBe(false);
    expect(journalOf(world).raw.maintenance).toBeUndefined();
  });

  it('two targets, nginx on the second rejects the page: the first is put back, nothing is recorded', async () => {
    const twoTargets = pageConfig.replace(
      '        ssh: { host: 10.0.0.5, user: deploy }\n',
      '        ssh: { host: 10.0.0.5, user: deploy }\n      - name: web2\n        ssh: { host: 10.0.0.6, user: deploy }\n',
    );
    const world = new World();
    for (const name of ['web1', 'web2']) installNginx(world.host(name).transport);
    expect(
      (await runFlow(deployAction, { world, config: twoTargets, inputs: { ...ENV, version: 'v1' } })).failed,
    ).toEqual([]);
    for (const name of ['web1', 'web2']) world.host(name).transport.apps.set(8099, () => ({ status: 503, body: 'x' }));
    installNginx(world.host('web2').transport, { testExit: 1 });
    const before = ['web1', 'web2'].map((n) => world.host(n).transport.fs.files.get(UPSTREAM));

    const r = await maintenance(world, 'on', twoTargets);

    expect(r.failed).toEqual([expect.stringMatching(/^nginx rejected \/etc\/nginx\/conf\.d\/shop-maintenance\.conf/)]);
    expect(r.lines.join('\n')).toContain('putting back the 1 target(s) switched');
    expect(['web1', 'web2'].map((n) => world.host(n).transport.fs.files.get(UPSTREAM))).toEqual(before);
    expect(['web1', 'web2'].map((n) => world.host(n).transport.fs.files.has(PAGE))).toEqual([false, false]);
    expect(journalOf(world).raw.maintenance).toBeUndefined();
  });

  it("a server of the team's: refused while it accepts no connections, then used as it is", async () => {
    const world = await liveV1({ config: serverConfig });
    const before = files(world).get(UPSTREAM);

    const refused = await maintenance(world, 'on', serverConfig);
    expect(refused.failed).toEqual([
      expect.stringMatching(/the maintenance server 127\.0\.0\.1:8090 accepts no connections/),
    ]);
    expect(files(world).get(UPSTREAM)).toBe(before);

    world.host().transport.apps.set(8090, () => ({ status: 503, body: 'maintenance' }));
    const on = await maintenance(world, 'on', serverConfig);
    expect(on.failed).toEqual([]);
    expect(files(world).get(UPSTREAM)).toContain('server 127.0.0.1:8090 ');
    expect(on.steps.filter((l) => l.startsWith('write /etc/nginx/conf.d'))).toEqual([]);
    await maintenance(world, 'off', serverConfig);
    expect(files(world).get(UPSTREAM)).toBe(before);
  });

  it('on without a maintenance section says what to set, before any connection', async () => {
    const world = await liveV1({ config: engineConfig() });
    const r = await maintenance(world, 'on', engineConfig());
    expect(r.failed).toEqual([expect.stringMatching(/^maintenance needs strategy\.proxy\.nginx\.maintenance: /)]);
  });

  it('dry run: shows the page and the upstream as on would write them, and changes nothing', async () => {
    const world = await liveV1();
    const before = files(world).get(UPSTREAM);
    const r = await runFlow(maintenanceAction, {
      world,
      config: pageConfig,
      inputs: { ...ENV, mode: 'on', 'dry-run': 'true' },
    });
    expect(r.failed).toEqual([]);
    expect(r.lines.join('\n')).toContain('return 503 "Back soon";');
    expect(r.lines.join('\n')).toContain('server 127.0.0.1:8099 max_fails=1 fail_timeout=2s;');
    expect(r.steps.filter((l) => l.startsWith('write ') || l.startsWith('nginx ') || l.startsWith('mkdir'))).toEqual(
      [],
    );
    expect(files(world).get(UPSTREAM)).toBe(before);
  });
});
