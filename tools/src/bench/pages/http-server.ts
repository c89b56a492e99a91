import { type RequestListener, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Serves `listener` on a free port of 127.0.0.1; resolves with its /graphql URL and a close that drops kept-alive sockets. */
export async function listenLocally(listener: RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer({ keepAliveTimeout: 60_000 }, listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
