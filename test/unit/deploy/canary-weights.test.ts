/**
 * A canary step's upstream, pure: the weights give the canary exactly its share and only grow (canary) or shrink
 * (stable) from step to step, so a consistent hash keeps the clients the canary has; the sticky directive per key;
 * the route file's map and upstream; and the upstream file rewritten with weights and the marked hash line, which a
 * later rewrite without stickiness removes again, every other byte kept.
 */
import { describe, expect, it } from 'vitest';
import { headerVariable, routeFileText, stickyDirective, weightedServers } from '../../../src/deploy/canary/weights.js';
import { type Journal, openCanary, type Release } from '../../../src/deploy/journal.js';
import { readUpstreamFile, rewriteUpstreamFile, STICKY_MARK } from '../../../src/proxy/upstream-file.js';

const stable = [
  { address: '127.0.0.1:8001', params: ['max_fails=3', 'weight=2'] },
  { address: '127.0.0.1:8002', params: ['max_fails=3'] },
];
const canary = [{ address: '127.0.0.1:8005' }];

/** The canary's share of the requests, from the weights nginx is given. */
const share = (servers: ReturnType<typeof weightedServers>) => {
  const total = servers.reduce((n, s) => n + (s.weight ?? 1), 0);
  const c = servers.filter((s) => canary.some((x) => x.address === s.address)).reduce((n, s) => n + (s.weight ?? 1), 0);
  return (100 * c) / total;
};

describe('weightedServers', () => {
  it.each([1, 5, 10, 25, 50, 75, 99])('gives the canary exactly %i %% of the requests', (w) => {
    expect(share(weightedServers(stable, canary, w))).toBeCloseTo(w, 10);
  });

  it('keeps the stable servers’ parameters but their own weight', () => {
    const out = weightedServers(stable, canary, 10);
    expect(out).toEqual([
      { address: '127.0.0.1:8001', params: ['max_fails=3'], weight: 90 },
      { address: '127.0.0.1:8002', params: ['max_fails=3'], weight: 90 },
      { address: '127.0.0.1:8005', weight: 20 },
    ]);
  });

  it('weights only grow for the canary and shrink for stable as steps rise (no common divisor taken out)', () => {
    const steps = [1, 5, 25, 50, 75].map((w) => weightedServers(stable, canary, w));
    for (let i = 1; i < steps.length; i++) {
      expect(steps[i]?.at(-1)?.weight).toBeGreaterThan(steps[i - 1]?.at(-1)?.weight ?? 0);
      expect(steps[i]?.[0]?.weight).toBeLessThan(steps[i - 1]?.[0]?.weight ?? 0);
    }
  });

  it('at 100 % only the canary, with no stable server and no weights', () => {
    expect(weightedServers(stable, canary, 100)).toEqual(canary);
  });

  it('with nothing stable (a first deploy) the canary alone at any weight', () => {
    expect(weightedServers([], canary, 10)).toEqual(canary);
  });
});

describe('stickiness and the route', () => {
  it('a hash on the cookie, the header (as nginx names its variable) or the address, always consistent', () => {
    expect(stickyDirective({ cookie: 'session' })).toBe('hash $cookie_session consistent');
    expect(stickyDirective({ header: 'X-User-Id' })).toBe('hash $http_x_user_id consistent');
    expect(stickyDirective({ address: true })).toBe('hash $remote_addr consistent');
    expect(stickyDirective(undefined)).toBeUndefined();
    expect(headerVariable('X-Canary')).toBe('$http_x_canary');
  });

  it('the route file maps the header to <upstream>_canary, listing the servers (a placeholder when none)', () => {
    expect(routeFileText('shop_api', 'X-Canary', [{ address: '127.0.0.1:8005' }])).toBe(
      `# runbook-actions: requests with X-Canary reach the canary of upstream shop_api (rewritten by each canary)
map $http_x_canary $shop_api_pick {
    default shop_api;
    "~." shop_api_canary;
}
upstream shop_api_canary {
    server 127.0.0.1:8005;
}
`,
    );
    expect(routeFileText('shop_api', 'X-Canary', [])).toContain('    server 127.0.0.1:9 down;\n');
  });
});

describe('the upstream file with weights and the sticky line', () => {
  const block = `# hand-written
upstream shop_api {
    keepalive 16;
    server 127.0.0.1:8001 max_fails=3;  # blue
    server 127.0.0.1:9 backup;
}
`;

  it('adds the marked hash line first in the block (nginx wants it before keepalive), weights after the parameters, the rest byte for byte', () => {
    const out = rewriteUpstreamFile(
      block,
      'shop_api',
      '/u.conf',
      weightedServers([{ address: '127.0.0.1:8001' }], canary, 25),
      {
        sticky: 'hash $cookie_s consistent',
      },
    );
    expect(out).toBe(`# hand-written
upstream shop_api {
    hash $cookie_s consistent; ${STICKY_MARK}
    keepalive 16;
    server 127.0.0.1:8001 max_fails=3 weight=75;
    server 127.0.0.1:8005 max_fails=3 weight=25;
    server 127.0.0.1:9 backup;
}
`);
    // A later switch without stickiness removes the toolkit's own line, and only it.
    const back = rewriteUpstreamFile(out, 'shop_api', '/u.conf', [{ address: '127.0.0.1:8005' }]);
    expect(back).toBe(
      block.replace('server 127.0.0.1:8001 max_fails=3;  # blue', 'server 127.0.0.1:8005 max_fails=3;'),
    );
    expect(readUpstreamFile(back, 'shop_api', '/u.conf').servers.map((s) => s.address)).toEqual(['127.0.0.1:8005']);
  });

  it('refuses stickiness over a balancing method the team chose, naming its line', () => {
    const theirs = block.replace('keepalive 16;', 'keepalive 16;\n    least_conn;');
    expect(() =>
      rewriteUpstreamFile(theirs, 'shop_api', '/u.conf', canary, { sticky: 'hash $remote_addr consistent' }),
    ).toThrow(/already balances with "least_conn" \(line 4\)/);
  });

  it('in a new file (server lines only) the hash line comes first', () => {
    expect(rewriteUpstreamFile(undefined, 'u', '/u.conf', canary, { sticky: 'hash $remote_addr consistent' })).toBe(
      `# upstream u: server lines written by runbook-actions (included inside upstream u { … })
hash $remote_addr consistent; ${STICKY_MARK}
server 127.0.0.1:8005 max_fails=1 fail_timeout=2s;
`,
    );
  });
});

describe('openCanary', () => {
  const r = (id: string, status: Release['status'], state?: 'paused' | 'promoted' | 'aborted'): Release =>
    ({
      id,
      version: id,
      status,
      strategy: 'canary',
      driver: 'engine',
      services: {},
      startedAt: id,
      ...(state ? { canary: { state } } : {}),
    }) as Release;
  const j = (releases: Release[]): Journal => ({ format: 1, app: 'a', environment: 'e', releases });

  it('is the release paused beside the live one; none once promoted or aborted', () => {
    expect(openCanary(j([r('1', 'live'), r('2', 'canary', 'paused')]))?.id).toBe('2');
    expect(openCanary(j([r('1', 'superseded'), r('2', 'live', 'promoted')]))).toBeUndefined();
    expect(openCanary(j([r('1', 'live'), r('2', 'failed', 'aborted')]))).toBeUndefined();
  });
});

describe('the sticky line without servers to replace', () => {
  it('a block with only backups: servers before the closing brace, the hash line first; removed again later', () => {
    const text = 'upstream u {\n    keepalive 8;\n    server 127.0.0.1:9 backup;\n}\n';
    const sticky = rewriteUpstreamFile(text, 'u', '/u.conf', [{ address: '127.0.0.1:8005' }], {
      sticky: 'hash $remote_addr consistent',
    });
    expect(sticky).toBe(
      `upstream u {\n    hash $remote_addr consistent; ${STICKY_MARK}\n    keepalive 8;\n    server 127.0.0.1:9 backup;\n    server 127.0.0.1:8005 max_fails=1 fail_timeout=2s;\n}\n`,
    );
    expect(rewriteUpstreamFile(sticky, 'u', '/u.conf', [{ address: '127.0.0.1:8005' }])).toBe(
      'upstream u {\n    keepalive 8;\n    server 127.0.0.1:9 backup;\n    server 127.0.0.1:8005 max_fails=1 fail_timeout=2s;\n}\n',
    );
  });
});
