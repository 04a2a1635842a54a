/**
 * https through the client against a real node:tls server with a private CA made by openssl: verified by default,
 * trusted with `ca`, named by the Host header (SNI and the name checked), opted out plainly; from the runner and
 * through a transport; every TLS failure names its reason. Also the CA file reader.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamLogger } from '../../../src/core/logger.js';
import { Masker } from '../../../src/core/masker.js';
import { parseCaPem, readCaFile } from '../../../src/http/ca.js';
import { requestOnce } from '../../../src/http/client.js';
import { LocalTransport } from '../../../src/transports/local.js';
import { listen, makePki, stop, type TestPki } from './servers.js';

const log = new StreamLogger({ sink: () => undefined, masker: new Masker(), mode: 'cli', debug: false });

class CountingTransport extends LocalTransport {
  readonly opened: string[] = [];
  override connectTcp(host: string, port: number): Promise<Duplex> {
    this.opened.push(`${host}:${port}`);
    return super.connectTcp(host, port);
  }
}

describe('https', () => {
  let pki: TestPki;
  let server: Server;
  let base = '';
  /** The SNI of every handshake ('' without one). */
  const snis: string[] = [];
  let plain: NetServer;
  let plainPort = 0;

  beforeAll(async () => {
    pki = await makePki();
    server = createHttpsServer({ key: pki.key, cert: pki.cert }, (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', host: req.headers.host }));
    });
    server.on('tlsClientError', () => undefined);
    server.on('secureConnection', (s) => snis.push((s as { servername?: string | false }).servername || ''));
    base = `https://127.0.0.1:${await listen(server)}`;
    // A plain HTTP server answers a TLS hello with a 400, as nginx on a plain port does.
    plain = createNetServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    });
    plainPort = await listen(plain);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await stop(server);
    await stop(plain);
  });

  it('is verified by default: a private CA is refused, naming the reason', async () => {
    const r = await requestOnce(`${base}/health`, { timeoutMs: 5000 });
    expect(r).toMatchObject({
      ok: false,
      error: expect.stringMatching(
        /^TLS: the certificate is not signed by a trusted CA \(UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
      ),
    });
  });

  it('trusts a given CA; without a Host header the IP address is checked, and no SNI is sent', async () => {
    snis.length = 0;
    const r = await requestOnce(`${base}/health`, { timeoutMs: 5000, tls: { ca: pki.caCert } });
    expect(r).toMatchObject({ ok: true, status: 200 });
    expect(snis).toEqual(['']);
  });

  it('takes the server name from the Host header: sent as SNI and checked against the certificate', async () => {
    snis.length = 0;
    const r = await requestOnce(`${base}/health`, {
      timeoutMs: 5000,
      tls: { ca: pki.caCert },
      headers: { Host: 'api.example.test:8443' },
    });
    expect(r.ok && JSON.parse(r.body)).toEqual({ status: 'ok', host: 'api.example.test:8443' });
    expect(snis).toEqual(['api.example.test']);
    const other = await requestOnce(`${base}/health`, {
      timeoutMs: 5000,
      tls: { ca: pki.caCert },
      headers: { Host: 'shop.example.test' },
    });
    expect(other).toMatchObject({
      ok: false,
      error: expect.stringMatching(
        /^TLS: the certificate is not for this name \(ERR_TLS_CERT_ALTNAME_INVALID: .*shop\.example\.test/,
      ),
    });
  });

  it('through a transport: the same verification, SNI from the Host header', async () => {
    const via = new CountingTransport('web1', log);
    snis.length = 0;
    const ok = await requestOnce(`${base}/health`, {
      via,
      timeoutMs: 5000,
      tls: { ca: pki.caCert },
      headers: { Host: 'api.example.test' },
    });
    expect(ok).toMatchObject({ ok: true, status: 200 });
    expect(snis).toEqual(['api.example.test']);
    expect(via.opened).toEqual([base.replace('https://', '')]);
    const refused = await requestOnce(`${base}/health`, { via, timeoutMs: 5000 });
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/^TLS: the certificate is not signed/) });
  });

  it('accepts any certificate only when verification is switched off', async () => {
    expect(await requestOnce(`${base}/health`, { timeoutMs: 5000, tls: { rejectUnauthorized: false } })).toMatchObject({
      ok: true,
      status: 200,
    });
    const via = new CountingTransport('web1', log);
    expect(
      await requestOnce(`${base}/health`, { via, timeoutMs: 5000, tls: { rejectUnauthorized: false } }),
    ).toMatchObject({ ok: true, status: 200 });
  });

  it('says when the port does not speak TLS', async () => {
    const r = await requestOnce(`https://127.0.0.1:${plainPort}/health`, { timeoutMs: 5000 });
    expect(r).toMatchObject({
      ok: false,
      error: 'TLS: wrong version number (ERR_SSL_WRONG_VERSION_NUMBER); the port does not speak TLS (plain http?)',
    });
  });

  it('reads a CA file, and says why one cannot be used', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'health-ca-'));
    try {
      const good = join(dir, 'ca.pem');
      writeFileSync(good, `# our CA\n${pki.caCert}`);
      expect(await readCaFile(good)).toBe(pki.caCert);
      const notPem = join(dir, 'ca.txt');
      writeFileSync(notPem, 'hello\n');
      await expect(readCaFile(notPem)).rejects.toThrow(`${notPem}: no PEM certificate in it`);
      await expect(readCaFile(join(dir, 'missing.pem'))).rejects.toThrow(/cannot read .*missing\.pem: no such file/);
      await expect(readCaFile(dir)).rejects.toThrow(/it is a directory/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => parseCaPem('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')).toThrow(
      'no PEM certificate in it (expected -----BEGIN CERTIFICATE-----) (it holds a private key, not a certificate)',
    );
    expect(() => parseCaPem('-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n')).toThrow(
      /certificate 1 of 1 does not parse/,
    );
  });
});
