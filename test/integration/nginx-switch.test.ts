import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { NginxUpstream } from '../../src/proxy/nginx.js';
import { LocalTransport } from '../../src/transports/local.js';
import { captureLogger, sandboxPart } from './helpers/sandbox.js';
import { freshSandboxUpstream } from './helpers/yaml.js';

describe('the nginx switch against the sandbox nginx', () => {
  const nginx = sandboxPart('nginx');
  freshSandboxUpstream(nginx);
  const log = captureLogger();
  const upstream = new NginxUpstream(
    new LocalTransport('local', log),
    {
      'upstream-file': nginx.upstreamFile,
      upstream: nginx.upstream,
      test: nginx.test,
      reload: nginx.reload,
      'pid-file': nginx.pidFile,
    },
    systemClock,
    log,
  );
  const workers = () => readFileSync(nginx.pidFile, 'utf8').trim();

  it('writes exactly the given servers and reloads', async () => {
    await upstream.set([{ address: '127.0.0.1:18191' }, { address: '127.0.0.1:18192' }], 'test');
    expect(
      readFileSync(nginx.upstreamFile, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('server')),
    ).toEqual([
      'server 127.0.0.1:18191 max_fails=1 fail_timeout=2s;',
      'server 127.0.0.1:18192 max_fails=1 fail_timeout=2s;',
    ]);
    expect(workers()).not.toBe('');
  });

  it('an upstream nginx -t rejects changes nothing: the live file is byte-identical and nginx keeps serving', async () => {
    const before = readFileSync(nginx.upstreamFile);
    await expect(upstream.set([{ address: '127.0.0.1:70000' }], 'bad port')).rejects.toThrow(
      /nginx rejected the new upstream \(bad port\); the old file is back: .*invalid port/,
    );
    expect(readFileSync(nginx.upstreamFile).equals(before)).toBe(true);
    const res = await request(`http://127.0.0.1:${nginx.port}/nginx-health`);
    await res.body.text();
    expect(res.statusCode).toBe(200);
  });
});
