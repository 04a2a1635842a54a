/**
 * The HTTP health gate against real servers on 127.0.0.1, as real apps answer: one that checks Host, one that writes
 * bare-LF header lines (busybox httpd CGI), https with a private CA (ca-file), and failures whose cause is named.
 * The config sections go through the real schema (defaults included); time is the manual clock's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthSchema } from '../../../src/config/schema-health.js';
import { ConfigError, ConnectionError } from '../../../src/core/errors.js';
import { StreamLogger } from '../../../src/core/logger.js';
import { Masker } from '../../../src/core/masker.js';
import { type GateSubject, waitHealthy } from '../../../src/deploy/health.js';
import { LocalTransport } from '../../../src/transports/local.js';
import type { Transport } from '../../../src/transports/types.js';
import { manualClock } from '../helpers/clock.js';
import { bareLf, listen, makePki, type RawServer, rawServer, stop, type TestPki } from '../http/servers.js';

/** A health section as the config loader makes it: `http` merged into short timings. */
function health(http: Record<string, unknown>) {
  return healthSchema.parse({ http, interval: '1s', timeout: '2s', deadline: '5s', stable: '1s' });
}

function gate(port: number, via?: Transport, dockerHealth = 'healthy') {
  const lines: string[] = [];
  const log = new StreamLogger({ sink: (l) => lines.push(l), masker: new Masker(), mode: 'cli', debug: false });
  let looks = 0;
  const subject: GateSubject = {
    label: `web1/api#0 (port ${port})`,
    host: '127.0.0.1',
    port,
    state: async () => {
      looks++;
      return { running: true, exitCode: 0, health: dockerHealth, startedAt: 't0' };
    },
    logsTail: async () => '',
  };
  const ctx = { transport: via ?? new LocalTransport('local', log), clock: manualClock(), log };
  return {
    run: (h: ReturnType<typeof health>) => waitHealthy(ctx, h, subject),
    text: () => lines.join('\n'),
    looks: () => looks,
  };
}

describe('the HTTP health gate, as real apps answer', () => {
  let hostApp: Server;
  let hostPort = 0;
  let hostConnections = 0;
  let cgi: RawServer;
  let pki: TestPki;
  let tlsApp: Server;
  let tlsPort = 0;
  let dir = '';

  beforeAll(async () => {
    // Answers 400 unless asked for its own name, as apps with ALLOWED_HOSTS do.
    hostApp = createServer((req, res) => {
      const ours = req.headers.host === 'api.example.test';
      res.writeHead(ours ? 200 : 400, { 'content-type': 'application/json' });
      res.end(ours ? '{"status":"ok"}' : `{"error":"bad host ${req.headers.host}"}`);
    });
    hostApp.on('connection', () => hostConnections++);
    hostPort = await listen(hostApp);
    cgi = await rawServer((_, socket) => socket.end(bareLf('200 OK', '{"status":"ok"}\n')));
    pki = await makePki();
    tlsApp = createHttpsServer({ key: pki.key, cert: pki.cert }, (_, res) => res.end('{"status":"ok"}'));
    tlsApp.on('tlsClientError', () => undefined);
    tlsPort = await listen(tlsApp);
    dir = mkdtempSync(join(tmpdir(), 'health-gate-ca-'));
    writeFileSync(join(dir, 'ca.pem'), pki.caCert); // a CA certificate only: nothing secret
    writeFileSync(join(dir, 'not-a-ca.pem'), 'just text\n');
  });
  afterAll(async () => {
    hostApp.closeAllConnections();
    tlsApp.closeAllConnections();
    await Promise.all([stop(hostApp), stop(cgi.server), stop(tlsApp)]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('an app that checks Host fails without the header, with the 400 as the last answer', async () => {
    const g = gate(hostPort);
    await expect(g.run(health({ path: '/health' }))).rejects.toThrow(
      /not healthy within 5s \(deadline\) after 6 attempts; last answer: status 400, expected 200 \(400 \{"error":"bad host 127\.0\.0\.1:\d+"\}\)/,
    );
  });

  it('fails while Docker reports the container unhealthy, however the app answers HTTP (its HEALTHCHECK fails)', async () => {
    const before = hostConnections;
    const g = gate(hostPort, undefined, 'unhealthy');
    await expect(g.run(health({ path: '/health', headers: { Host: 'api.example.test' } }))).rejects.toThrow(
      /not healthy within 5s \(deadline\) after 6 attempts; last answer: Docker reports the container unhealthy: its HEALTHCHECK fails/,
    );
    expect(hostConnections - before).toBe(0);
  });

  it('passes with health.http.headers.Host, one connection per probe', async () => {
    const before = hostConnections;
    const g = gate(hostPort);
    await g.run(health({ path: '/health', headers: { Host: 'api.example.test' } }));
    expect(g.text()).toContain('healthy after 1.0s (attempt 2): 200 {"status":"ok"}');
    expect(hostConnections - before).toBe(2);
  });

  it('passes an app whose header lines end in a bare LF; only the first probe asks twice', async () => {
    const before = cgi.connections();
    const g = gate(cgi.port);
    await g.run(health({ path: '/cgi-bin/health', expect: { json: { status: 'ok' } } }));
    expect(g.text()).toContain('healthy after 1.0s (attempt 2): 200 {"status":"ok"}');
    expect(cgi.connections() - before).toBe(3);
  });

  it('https: verified against tls.ca-file with the Host header as the server name', async () => {
    const g = gate(tlsPort);
    await g.run(
      health({
        path: '/health',
        scheme: 'https',
        headers: { Host: 'api.example.test' },
        tls: { 'ca-file': join(dir, 'ca.pem') },
      }),
    );
    expect(g.text()).toContain('healthy after 1.0s');
  });

  it('https: by default an unknown CA is the named cause; insecure-skip-verify accepts it', async () => {
    const refused = gate(tlsPort);
    await expect(refused.run(health({ path: '/health', scheme: 'https' }))).rejects.toThrow(
      /last answer: TLS: the certificate is not signed by a trusted CA \(UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
    );
    const g = gate(tlsPort);
    await g.run(health({ path: '/health', scheme: 'https', tls: { 'insecure-skip-verify': true } }));
    expect(g.text()).toContain('healthy after 1.0s');
  });

  it('a ca-file that cannot be used fails at once, before any probe, naming the field', async () => {
    for (const [file, why] of [
      ['missing.pem', /cannot read .*missing\.pem: no such file/],
      ['not-a-ca.pem', /not-a-ca\.pem: no PEM certificate in it/],
    ] as const) {
      const g = gate(tlsPort);
      const run = g.run(health({ path: '/health', scheme: 'https', tls: { 'ca-file': join(dir, file) } }));
      await expect(run).rejects.toThrow(ConfigError);
      await expect(run).rejects.toThrow(why);
      await expect(run).rejects.toThrow(/^web1\/api#0 \(port \d+\): health\.http\.tls\.ca-file: /);
      expect(g.looks()).toBe(0);
    }
  });

  it('over SSH the channel failure is the named cause', async () => {
    class RefusingSsh extends LocalTransport {
      override connectTcp(host: string, port: number): Promise<Duplex> {
        return Promise.reject(
          new ConnectionError(
            `deploy@10.0.0.5:22 could not open a connection to ${host}:${port}: (SSH) Channel open failure: Connection refused`,
          ),
        );
      }
    }
    const g = gate(
      18001,
      new RefusingSsh(
        'web1',
        new StreamLogger({ sink: () => undefined, masker: new Masker(), mode: 'cli', debug: false }),
      ),
    );
    await expect(g.run(health({ path: '/health' }))).rejects.toThrow(
      'last answer: the target (deploy@10.0.0.5:22) could not connect to 127.0.0.1:18001: Connection refused (nothing listens there)',
    );
  });
});
