import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StreamLogger } from '../../src/core/logger.js';
import { Masker } from '../../src/core/masker.js';
import { connectSsh } from '../../src/transports/ssh.js';
import { runStep } from './helpers/action-runner.js';
import { sandboxSsh } from './helpers/sandbox.js';
import { sandboxOptions } from './helpers/ssh.js';

describe('the runner protocol against real servers', () => {
  it('remote output saying ::error:: or ::add-mask:: is printed inside stop-commands, never obeyed', async () => {
    const lines: string[] = [];
    const log = new StreamLogger({ sink: (l) => lines.push(l), masker: new Masker(), mode: 'actions', debug: false });
    const t = await connectSsh(sandboxOptions({ name: 'web1' }), log);
    try {
      const r = await t.exec(['printf', '%s\\n', '::error::x', '::add-mask::y', '::stop-commands::z']);
      expect(r.code).toBe(0);
    } finally {
      await t.close();
    }
    log.flushRemote();
    // Between a stop-commands line and its resume token the runner reads no command at all.
    let fenced = false;
    let token = '';
    const seen: string[] = [];
    for (const line of lines) {
      const stop = /^::stop-commands::([0-9a-f]{32})$/.exec(line);
      if (stop) {
        fenced = true;
        token = stop[1] ?? '';
      } else if (line === `::${token}::`) {
        fenced = false;
      } else if (line.includes('::error::x') || line.includes('::add-mask::y') || line.includes('::stop-commands::z')) {
        expect(fenced, line).toBe(true);
        seen.push(line);
      }
    }
    expect(seen).toEqual(['[web1]  ::error::x', '[web1]  ::add-mask::y', '[web1]  ::stop-commands::z']);
    expect(fenced).toBe(false);
  });

  it('SIGINT while a host hangs: the step stops, fails as cancelled, and leaves no connection open', async () => {
    const sockets: Socket[] = [];
    let closedByClient = 0;
    const silent = createServer((s) => {
      sockets.push(s);
      s.resume(); // read (and drop) what the client sends, so its FIN is seen
      s.on('close', () => closedByClient++);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const dir = mkdtempSync(join(tmpdir(), 'cancel-'));
    const config = join(dir, 'runbook.yml');
    writeFileSync(
      config,
      `app: shop\nenvironments:\n  sandbox:\n    targets: [{ name: hung, ssh: { host: 127.0.0.1, port: ${port}, user: u, connect-timeout: 10m } }]\nchecks: { docker: false, compose: false }\n`,
    );
    const ssh = sandboxSsh();
    try {
      const r = await runStep('pre-deploy-check', {
        inputs: {
          config,
          environment: 'sandbox',
          'ssh-private-key': ssh.privateKey,
          'ssh-known-hosts': ssh.knownHosts,
        },
        onSpawn: (child) => {
          const wait = setInterval(() => {
            if (sockets.length > 0) {
              clearInterval(wait);
              child.kill('SIGINT');
            }
          }, 20);
        },
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('::warning::SIGINT received: cancelling and cleaning up');
      expect(r.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual(['::error::cancelled by SIGINT']);
      // The step closed its side: every server socket sees the close (the test's own timeout bounds the wait).
      await Promise.all(sockets.map((s) => (s.destroyed ? undefined : once(s, 'close'))));
      expect(closedByClient).toBe(sockets.length);
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      silent.close();
    }
  });
});
