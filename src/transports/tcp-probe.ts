/** A TCP connection opened by the target to see whether something listens; closed at once. */
import { ForwardingRefusedError } from './ssh-channel.js';
import type { Transport } from './types.js';

/**
 * Why the target could not open a TCP connection to host:port within `timeoutMs` (default: the transport's own
 * limits), or undefined when something accepted it (the connection is closed at once; a late one too). Throws when
 * the SSH server refuses to forward at all (ForwardingRefusedError): that says nothing about the port, and read as
 * "nothing listens" it would make every port look free and every server look down.
 */
export async function tcpRefusal(
  t: Pick<Transport, 'connectTcp'>,
  host: string,
  port: number,
  timeoutMs?: number,
): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const attempt = t.connectTcp(host, port);
  const deadline =
    timeoutMs === undefined
      ? []
      : [
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs);
          }),
        ];
  try {
    (await Promise.race([attempt, ...deadline])).destroy();
    return undefined;
  } catch (err) {
    attempt.then((late) => late.destroy()).catch(() => undefined);
    if (err instanceof ForwardingRefusedError) throw err;
    return err;
  } finally {
    clearTimeout(timer);
  }
}

/** Whether something on host:port accepts a TCP connection opened by the target. */
export async function acceptsTcp(
  t: Pick<Transport, 'connectTcp'>,
  host: string,
  port: number,
  timeoutMs?: number,
): Promise<boolean> {
  return (await tcpRefusal(t, host, port, timeoutMs)) === undefined;
}
