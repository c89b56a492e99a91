import type { IncomingMessage, ServerResponse } from 'node:http';
import { BENCH_PAGES } from './catalog.js';
import { listenLocally } from './http-server.js';
import { type PageDatabases, type PageVariables, openPageDatabases } from './page.js';
import { serveForParent } from './server-child.js';

export interface FloorSettings {
  /** PostgreSQL URL of each subgraph database. */
  urls: Record<keyof PageDatabases, string>;
  poolSize: number;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The direct-SQL floor as an HTTP server: `POST /<page>` with a GraphQL-style
 * body reads that page straight from the databases and answers `{"data": ...}`,
 * so the same load tool measures it over the same kind of connection as the
 * gateways.
 */
serveForParent<FloorSettings>(async ({ urls, poolSize }) => {
  const databases = openPageDatabases(urls, poolSize);
  const pages = new Map(BENCH_PAGES.map((page) => [`/${page.name}`, page]));
  const server = await listenLocally((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      try {
        const page = pages.get(request.url ?? '');
        if (page === undefined) {
          response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: `no page at ${request.url}` }] }));
          return;
        }
        const body = JSON.parse(await readBody(request)) as { variables?: PageVariables };
        const data = await page.readFloor(databases, body.variables ?? {});
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
      await databases.end();
    },
  };
});
