/**
 * HostShare: each host's deploy sees and changes only its own servers of the load balancer's upstream, at the
 * addresses it uses itself, and the hosts of a batch changing it at once never overwrite each other's servers.
 * The whole upstream is an in-memory file rewritten by the real upstream-file code (the seam: where nginx runs).
 */
import { describe, expect, it } from 'vitest';
import { HostShare, type WholeUpstream } from '../../../src/proxy/host-share.js';
import {
  readUpstreamFile,
  rewriteUpstreamFile,
  type UpstreamFile,
  type UpstreamServer,
} from '../../../src/proxy/upstream-file.js';
import { Semaphore } from '../../../src/transports/semaphore.js';

const FILE = '/etc/nginx/conf.d/shop.conf';
const NAME = 'shop';

/** The load balancer's upstream file in memory; each set() yields once (a reload takes time) so changes interleave. */
class MemUpstream implements WholeUpstream {
  writes: string[] = [];
  constructor(public text: string | undefined) {}
  parse = (text: string | undefined): UpstreamFile => readUpstreamFile(text, NAME, FILE);
  current = async () => this.text;
  read = async () => ({ text: this.text, file: this.parse(this.text) });
  assertWritable = async () => {};
  master = async () => ({ pid: 1, workers: [2] });
  reloadAfter = async () => {};
  render = (text: string | undefined, servers: readonly UpstreamServer[], opts: { sticky?: string } = {}) =>
    rewriteUpstreamFile(text, NAME, FILE, servers, opts);
  set = async (servers: readonly UpstreamServer[]) => {
    const next = this.render(this.text, servers);
    await new Promise((r) => setTimeout(r, 5));
    this.text = next;
    this.writes.push(next);
  };
  restore = async (text: string | undefined) => {
    this.text = text;
  };
}

const block = (...servers: string[]) =>
  `upstream ${NAME} {\n    keepalive 16;\n${servers.map((s) => `    server ${s};\n`).join('')}}\n`;
const addresses = (lb: MemUpstream) => lb.parse(lb.text).servers.map((s) => s.address);

describe('HostShare', () => {
  it("shows a host only its own servers, at 127.0.0.1, and keeps the others' byte for byte", async () => {
    const lb = new MemUpstream(block('10.0.0.5:18001 max_fails=3', '10.0.0.6:18001 max_fails=3'));
    const web1 = new HostShare(lb, '10.0.0.5', new Semaphore(1));
    expect((await web1.read()).file.servers.map((s) => s.address)).toEqual(['127.0.0.1:18001']);
    await web1.set([{ address: '127.0.0.1:18002' }], 'add web1-2');
    expect(lb.text).toBe(block('10.0.0.6:18001 max_fails=3', '10.0.0.5:18002 max_fails=3'));
  });

  it('hosts of one batch change the upstream at once: every host ends with its own servers', async () => {
    const lb = new MemUpstream(block('10.0.0.5:18001', '10.0.0.6:18001', '10.0.0.7:18001'));
    const lock = new Semaphore(1);
    const hosts = ['10.0.0.5', '10.0.0.6', '10.0.0.7'].map((a) => new HostShare(lb, a, lock));
    await Promise.all(hosts.map((h) => h.set([{ address: '127.0.0.1:18002' }, { address: '127.0.0.1:18003' }], 'v2')));
    expect(addresses(lb).sort()).toEqual(
      ['10.0.0.5', '10.0.0.6', '10.0.0.7'].flatMap((a) => [`${a}:18002`, `${a}:18003`]).sort(),
    );
    expect(lb.writes).toHaveLength(3);
  });

  it('a host drained of every server leaves the others serving; the last one out leaves the placeholder', async () => {
    const lb = new MemUpstream(block('10.0.0.5:18001', '10.0.0.6:18001'));
    const lock = new Semaphore(1);
    await new HostShare(lb, '10.0.0.5', lock).set([], 'drain web1');
    expect(addresses(lb)).toEqual(['10.0.0.6:18001']);
    await new HostShare(lb, '10.0.0.6', lock).set([], 'drain web2');
    expect(lb.parse(lb.text).servers).toEqual([{ address: '127.0.0.1:9', params: ['down'] }]);
  });

  it('restore puts back only this host’s servers as they were, not the whole file', async () => {
    const lb = new MemUpstream(block('10.0.0.5:18001', '10.0.0.6:18001'));
    const lock = new Semaphore(1);
    const web1 = new HostShare(lb, '10.0.0.5', lock);
    const before = await web1.read();
    await web1.set([{ address: '127.0.0.1:18002' }], 'v2');
    await new HostShare(lb, '10.0.0.6', lock).set([{ address: '127.0.0.1:18002' }], 'v2 on web2');
    await web1.restore(before.text, 'the deploy failed');
    expect(addresses(lb).sort()).toEqual(['10.0.0.5:18001', '10.0.0.6:18002']);
  });

  it('the load balancer’s own replicas stay at 127.0.0.1; an IPv6 host is bracketed; servers of no host stay', async () => {
    const lb = new MemUpstream(block('app.internal:8080', '127.0.0.1:18001'));
    const lock = new Semaphore(1);
    const self = new HostShare(lb, '127.0.0.1', lock);
    expect((await self.read()).file.servers.map((s) => s.address)).toEqual(['127.0.0.1:18001']);
    await self.set([{ address: '127.0.0.1:18002' }], 'v2');
    await new HostShare(lb, 'fd00::5', lock).set([{ address: '127.0.0.1:18001' }], 'v2');
    expect(addresses(lb)).toEqual(['app.internal:8080', '127.0.0.1:18002', '[fd00::5]:18001']);
    expect((await new HostShare(lb, 'fd00::5', lock).read()).file.servers.map((s) => s.address)).toEqual([
      '127.0.0.1:18001',
    ]);
  });

  it('render shows the whole file as it will be, with this host’s part replaced', async () => {
    const lb = new MemUpstream(block('10.0.0.5:18001', '10.0.0.6:18001'));
    const web2 = new HostShare(lb, '10.0.0.6', new Semaphore(1));
    expect(web2.render(lb.text, [{ address: '127.0.0.1:18009' }])).toBe(block('10.0.0.5:18001', '10.0.0.6:18009'));
  });

  it('the servers of no host (a team’s old ones, a fresh site’s) are the first host’s to take over, shown as the balancer’s', async () => {
    const lb = new MemUpstream(block('127.0.0.1:1', '10.0.0.9:8000'));
    const lock = new Semaphore(1);
    const owners = ['10.0.0.5', '10.0.0.6'];
    const web1 = new HostShare(lb, '10.0.0.5', lock, { owners, claimsUnowned: true, balancer: 'lb1' });
    const web2 = new HostShare(lb, '10.0.0.6', lock, { owners, claimsUnowned: false, balancer: 'lb1' });
    // The load balancer runs no service: its own 127.0.0.1 servers belong to no host.
    const self = new HostShare(lb, '127.0.0.1', lock, { owners, claimsUnowned: false, balancer: 'lb1' });
    expect((await self.read()).file.servers).toEqual([]);
    expect((await web2.read()).file.servers).toEqual([]);
    const seen = (await web1.read()).file.servers.map((s) => s.address);
    expect(seen).toEqual(['lb1:1', '10.0.0.9:8000']);
    // web1's first replica serves beside what it took over; web2 adds its own meanwhile.
    await web1.set([{ address: '10.0.0.9:8000' }, { address: 'lb1:1' }, { address: '127.0.0.1:18001' }], 'add');
    await web2.set([{ address: '127.0.0.1:18001' }], 'add');
    expect(addresses(lb)).toEqual(['10.0.0.9:8000', '127.0.0.1:1', '10.0.0.5:18001', '10.0.0.6:18001']);
    await web1.set([{ address: '127.0.0.1:18001' }], 'drain what was taken over');
    expect(addresses(lb)).toEqual(['10.0.0.6:18001', '10.0.0.5:18001']);
  });

  it('a host abandoned by its rollout changes nothing after (its late restore is refused, naming why)', async () => {
    const lb = new MemUpstream(block('10.0.0.5:18001', '10.0.0.6:18001'));
    const seat: { closed?: boolean } = {};
    const web1 = new HostShare(lb, '10.0.0.5', new Semaphore(1), { owners: ['10.0.0.5'], claimsUnowned: false }, seat);
    const before = await web1.read();
    await web1.set([{ address: '127.0.0.1:18002' }], 'v3');
    seat.closed = true;
    await expect(web1.restore(before.text, 'the deploy failed')).rejects.toThrow(
      "10.0.0.5: this host's part was abandoned (it stopped answering); the load balancer is no longer its to change",
    );
    expect(addresses(lb)).toEqual(['10.0.0.6:18001', '10.0.0.5:18002']);
  });

  it('a server of no host on the balancer’s loopback never stands for a host’s own replica on the same port', async () => {
    // The team's old app on the balancer at 127.0.0.1:18002, and web1's own replica on port 18002 (found by a trial).
    const lb = new MemUpstream(block('127.0.0.1:18002', '10.0.0.5:18002'));
    const web1 = new HostShare(lb, '10.0.0.5', new Semaphore(1), {
      owners: ['10.0.0.5'],
      claimsUnowned: true,
      balancer: 'lb1',
    });
    expect((await web1.read()).file.servers.map((s) => s.address)).toEqual(['lb1:18002', '127.0.0.1:18002']);
    await web1.set([{ address: 'lb1:18002' }, { address: '127.0.0.1:18002' }, { address: '127.0.0.1:18003' }], 'add');
    expect(addresses(lb)).toEqual(['127.0.0.1:18002', '10.0.0.5:18002', '10.0.0.5:18003']);
    await web1.set([{ address: '127.0.0.1:18002' }, { address: '127.0.0.1:18003' }], 'drain what was taken over');
    expect(addresses(lb)).toEqual(['10.0.0.5:18002', '10.0.0.5:18003']);
  });
});
