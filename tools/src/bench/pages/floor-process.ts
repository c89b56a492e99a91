import type { IncomingMessage, ServerResponse } from 'node:http';
import postgres from 'postgres';
import { type PageDatabases, readDeviceListPage } from './device-list-page.js';
import { listenLocally } from './http-server.js';
import { serveForParent } from './server-child.js';

export interface FloorSettings {
  /** PostgreSQL URL of each page database. */
  urls: Record<keyof PageDatabases, string>;
  poolSize: number;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The direct-SQL floor as an HTTP server: the device list page read straight
 * from the databases and answered as `{"data": ...}`, so the same load tool
 * measures it over the same kind of connection as the gateways.
 */
serveForParent<FloorSettings>(async ({ urls, poolSize }) => {
  const open = (url: string) => postgres(url, { max: poolSize, onnotice: () => undefined });
  const databases: PageDatabases = { devices: open(urls.devices), users: open(urls.users), apps: open(urls.apps), billing: open(urls.billing) };
  const server = await listenLocally((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      try {
        const body = JSON.parse(await readBody(request)) as { variables?: { first?: number } };
        const data = await readDeviceListPage(databases, body.variables?.first ?? 20);
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
      } catch (error) {
        response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: (error as Error).message }] }));
      }
    })();
  });
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await Promise.all(Object.values(databases).map((sql) => sql.end()));
    },
  };
});
