/**
 * A connection that drops or stalls mid-command (through a TCP proxy to the sandbox sshd): commands fail with a
 * ConnectionError within bounded time instead of hanging (RELIABILITY #10).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionError } from '../../src/core/errors.js';
import { connectSandbox, sandboxHost, tcpProxy } from './helpers/ssh.js';

const host = sandboxHost();
const [ed25519HostKey = ''] = host.hostKeys;
let proxy: Awaited<ReturnType<typeof tcpProxy>> | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

async function throughProxy(keepaliveIntervalMs = 5000) {
  proxy = await tcpProxy(host.port);
  return connectSandbox({
    port: proxy.port,
    knownHosts: `[127.0.0.1]:${proxy.port} ${ed25519HostKey}\n`,
    keepaliveIntervalMs,
  });
}

describe('lost connections', () => {
  it('a dropped connection rejects the running command and later ones with ConnectionError', async () => {
    const { transport } = await throughProxy();
    expect((await transport.exec(['true'])).code).toBe(0);
    const running = transport.exec(['sleep', '30']);
    await new Promise((r) => setTimeout(r, 300));
    proxy?.drop();
    const err = await running.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toMatch(/connection to .* (was lost|ended)/);
    expect((err as Error).message).toContain('`sleep`');
    await expect(transport.exec(['true'])).rejects.toThrow(/was lost/);
    await transport.close();
  });

  it('a connection that goes silent is detected by keepalives within bounded time', async () => {
    const { transport } = await throughProxy(500);
    const running = transport.exec(['sleep', '30']);
    await new Promise((r) => setTimeout(r, 300));
    proxy?.freeze();
    const err = await running.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toMatch(/was lost/);
    // keepaliveCountMax 3 at 500 ms detects it (about 2 s); the test's own timeout is the bound.
    await transport.close();
  });
});
