/** Free loopback ports for a test, found by binding them (the suite shares the machine with other servers). */
import { createServer } from 'node:net';

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `count` consecutive ports on 127.0.0.1 that nothing listens on now, as [first, last]. */
export async function freePortRange(count: number): Promise<[number, number]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * 20_000);
    let ok = true;
    for (let p = first; p < first + count && ok; p++) ok = await bindable(p);
    if (ok) return [first, first + count - 1];
  }
  throw new Error(`no ${count} consecutive free ports found on 127.0.0.1`);
}
