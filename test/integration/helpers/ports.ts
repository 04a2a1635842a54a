/** Free loopback ports for a test, found by binding them (the suite shares the machine with other servers). */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * The lowest port the kernel hands out for outgoing connections (Linux ip_local_port_range): a server port above it
 * can be taken at any moment by a client socket of another program, and a later bind fails.
 */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 21_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

/**
 * `count` consecutive ports on 127.0.0.1 that nothing listens on now, as [first, last], from 20000 up to the
 * ephemeral range (never inside it).
 */
export async function freePortRange(count: number): Promise<[number, number]> {
  const span = ephemeralLow() - 20_000 - count;
  for (let attempt = 0; attempt < 200; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * span);
    let ok = true;
    for (let p = first; p < first + count && ok; p++) ok = await bindable(p);
    if (ok) return [first, first + count - 1];
  }
  throw new Error(`no ${count} consecutive free ports found on 127.0.0.1`);
}
