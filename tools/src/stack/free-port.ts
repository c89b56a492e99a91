import { randomInt } from 'node:crypto';
import net from 'node:net';

/**
 * Below Linux's ephemeral range (32768–60999), where the kernel never hands
 * out the local port of an outgoing connection: a port found free here is
 * not taken by a database, broker or Redis client before its subgraph
 * binds it, as a port the kernel picked from the ephemeral range can be.
 */
const FIRST = 20_000;
const LAST = 32_000;

function tryListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** A port nothing listens on now and not among `taken` (ports chosen for the same stack, not bound yet). */
export async function freePort(host = '127.0.0.1', taken: ReadonlySet<number> = new Set()): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = randomInt(FIRST, LAST + 1);
    if (!taken.has(port) && (await tryListen(port, host))) return port;
  }
  throw new Error(`no free port between ${FIRST} and ${LAST}`);
}
