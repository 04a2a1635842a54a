/**
 * The site of the blue-green and canary tests (helpers/progressive-site.ts) on its own, with a plain rolling deploy:
 * its nginx (upstream block, initial route file, proxy_pass through the route's variable) serves v1 from the
 * replicas the deploy wrote into the block, says which one in X-Upstream, and logs each request as one
 * runbook_canary line naming that replica.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAccessLog } from '../../src/canary/access-log.js';
import { readUpstreamFile } from '../../src/proxy/upstream-file.js';
import { runStep } from './helpers/action-runner.js';
import { type ProgressiveSite, progressiveSite, UPSTREAM } from './helpers/progressive-site.js';
import { eventually } from './helpers/ssh.js';

describe('the progressive site with a rolling deploy', () => {
  let site: ProgressiveSite;
  beforeAll(async () => {
    site = await progressiveSite('pgsmoke', { strategy: 'rolling' });
  });
  afterAll(async () => {
    await site?.close();
  });

  it('serves v1 through its own nginx from the replicas in its upstream block, one access-log line per request', async () => {
    const route = readFileSync(site.routeFile, 'utf8');
    const r = await runStep('deploy', { inputs: { ...site.inputs, version: 'v1' }, timeoutMs: 120_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(site.journal().releases.map((x) => [x.version, x.status])).toEqual([['v1', 'live']]);
    const servers = readUpstreamFile(readFileSync(site.upstreamFile, 'utf8'), UPSTREAM, site.upstreamFile).servers;
    const addresses = servers.map((s) => s.address);
    expect(addresses).toHaveLength(2);
    expect(servers.some((s) => (s.params ?? []).includes('down'))).toBe(false);
    expect(await site.served()).toBe('v1');

    const agent = new Agent();
    const seen: string[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        const res = await request(`${site.url}/version`, { dispatcher: agent });
        expect((await res.body.text()).trim()).toBe('v1');
        seen.push(String(res.headers['x-upstream']));
      }
    } finally {
      await agent.close();
    }
    expect(new Set(seen)).toEqual(new Set(addresses));

    // nginx logs a request after it answered it: the last line may land just after the client has its response.
    const readLog = () => parseAccessLog(readFileSync(site.accessLog, 'utf8'));
    const log = (await eventually(() => (readLog().entries.length >= 21 ? readLog() : undefined))) ?? readLog();
    expect(log.foreign).toBe(0);
    expect(log.entries).toHaveLength(21);
    for (const e of log.entries) {
      expect(e.status).toBe(200);
      expect(e.attempts.map((a) => a.address)).toHaveLength(1);
      expect(addresses).toContain(e.attempts[0]?.address);
    }
    // A rolling deploy leaves the route file as the site wrote it.
    expect(readFileSync(site.routeFile, 'utf8')).toBe(route);
  });
});
