/**
 * The upstream candidate check with the machine's own nginx binary: the team's block as a switch would rewrite it
 * passes `nginx -t` in a throwaway prefix; a server nginx refuses fails with nginx's own words; a file holding
 * another upstream fails on its layout; the live file is never changed and no temp directory is left.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NginxProxyConfig } from '../../src/config/schema.js';
import { checkUpstreamCandidate } from '../../src/proxy/candidate.js';
import { LocalTransport } from '../../src/transports/local.js';
import { captureLogger } from './helpers/sandbox.js';

const TEAM = `# edited by hand
upstream shop_api {
    least_conn;
    keepalive 16;
    server 127.0.0.1:8000 max_fails=3 fail_timeout=10s;  # compose app
    server 127.0.0.1:8099 backup;
}
server { listen 127.0.0.1:1; location / { proxy_pass http://elsewhere_defined; } }
`;

describe('checkUpstreamCandidate against the real nginx binary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-candidate-'));
  const file = join(dir, 'upstream.conf');
  const t = new LocalTransport('local', captureLogger());
  const cfg = (o: Partial<NginxProxyConfig> = {}): NginxProxyConfig => ({
    'upstream-file': file,
    upstream: 'shop_api',
    test: ['sudo', '-n', '/usr/sbin/nginx', '-t'],
    reload: ['sudo', '-n', '/usr/sbin/nginx', '-s', 'reload'],
    'pid-file': '/run/nginx.pid',
    ...o,
  });
  const temps = () => readdirSync(tmpdir()).filter((f) => f.startsWith('runbook-nginx.'));
  const before = temps();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the team block with our servers in place of theirs passes nginx -t; the live file is untouched', async () => {
    writeFileSync(file, TEAM);
    const r = await checkUpstreamCandidate(t, cfg(), [{ address: '127.0.0.1:18001' }]);
    expect(r).toEqual([
      {
        status: 'pass',
        check: 'nginx upstream',
        detail: `upstream shop_api in ${file} (the whole upstream block, line 2); 1 serving now: 127.0.0.1:8000; 1 backup server(s) kept`,
      },
      {
        status: 'pass',
        check: 'nginx candidate',
        detail:
          'the upstream as a switch writes it (127.0.0.1:18001) passes /usr/sbin/nginx -t; the live file untouched',
      },
    ]);
    expect(readFileSync(file, 'utf8')).toBe(TEAM);
    expect(temps()).toEqual(before);
  });

  it('server lines included inside a block elsewhere are tested inside one', async () => {
    writeFileSync(file, 'keepalive 8;\nserver 127.0.0.1:8000;\n');
    const r = await checkUpstreamCandidate(t, cfg(), [{ address: '127.0.0.1:18001' }]);
    expect(r.map((x) => x.status)).toEqual(['pass', 'pass']);
    expect(r[0]?.detail).toContain('(server lines included inside the block)');
  });

  it('what nginx refuses fails with its own words', async () => {
    writeFileSync(file, TEAM);
    const r = await checkUpstreamCandidate(t, cfg(), [{ address: '127.0.0.1:70000' }]);
    expect(r[1]).toEqual({
      status: 'fail',
      check: 'nginx candidate',
      detail: expect.stringMatching(/fails \/usr\/sbin\/nginx -t: .*invalid port/),
    });
    expect(readFileSync(file, 'utf8')).toBe(TEAM);
    expect(temps()).toEqual(before);
  });

  it('a file holding another upstream fails on its layout, before nginx is run', async () => {
    writeFileSync(file, TEAM);
    const r = await checkUpstreamCandidate(t, cfg({ upstream: 'api' }), [{ address: '127.0.0.1:18001' }]);
    expect(r).toEqual([
      {
        status: 'fail',
        check: 'nginx upstream',
        detail: expect.stringMatching(/holds upstream shop_api but not "api"/),
      },
    ]);
  });
});
