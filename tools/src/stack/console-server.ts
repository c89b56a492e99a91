import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import path from 'node:path';

// The web console's server: the built app (web/dist) and, on the same origin, /graphql proxied to the
// gateway over HTTP and WebSocket. Same origin means the gateway needs no CORS and the browser sends
// its token only where the console itself lives.

export interface ConsoleServerOptions {
  /** The built console (web/dist): index.html and its assets. */
  root: string;
  /** The gateway's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  gatewayUrl: string;
  host: string;
  /** 0 for any free port. */
  port: number;
}

export interface ConsoleServer {
  /** Where a browser opens the console. */
  url: string;
  close(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// The console loads only its own scripts and styles and talks only to its own origin (the /graphql proxy).
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

// Hop-by-hop headers describe one connection and are not forwarded (RFC 9110 section 7.6.1).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

function forwardedHeaders(request: IncomingMessage, gateway: URL): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(request.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
  headers['host'] = gateway.host;
  // As proxies do: the client's address goes last, so a gateway trusting this hop limits each client on its own.
  const client = request.socket.remoteAddress;
  if (client !== undefined) headers['x-forwarded-for'] = request.headers['x-forwarded-for'] ? `${request.headers['x-forwarded-for']}, ${client}` : client;
  return headers;
}

function isGraphqlPath(url: string | undefined): boolean {
  const pathname = (url ?? '').split('?')[0];
  return pathname === GRAPHQL_PATH;
}

function refuse(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
  response.end(message);
}

/** /graphql over HTTP: the request as it came (headers, body), the gateway's answer as it comes. */
function proxyHttp(request: IncomingMessage, response: ServerResponse, gateway: URL): void {
  const upstream = http.request(
    { hostname: gateway.hostname, port: gateway.port, path: `${gateway.pathname}${request.url?.slice(GRAPHQL_PATH.length) ?? ''}`, method: request.method, headers: forwardedHeaders(request, gateway) },
    (answer) => {
      const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
      response.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(response);
    },
  );
  upstream.on('error', () => {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    // The shape of every other error the console shows, so the page can say what happened.
    response.writeHead(502, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify({ errors: [{ message: 'The gateway cannot be reached', extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } }] }));
  });
  request.pipe(upstream);
}

/** The response head of a 101 (or any) answer, written back onto the browser's raw socket. */
function responseHead(answer: IncomingMessage): string {
  const lines = [`HTTP/1.1 ${answer.statusCode ?? 502} ${answer.statusMessage ?? ''}`];
  for (let index = 0; index < answer.rawHeaders.length; index += 2) lines.push(`${answer.rawHeaders[index]}: ${answer.rawHeaders[index + 1]}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** /graphql WebSocket (graphql-ws): the upgrade is forwarded, then bytes flow both ways untouched. */
function proxyUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, gateway: URL, open: Set<Duplex>): void {
  const headers = forwardedHeaders(request, gateway);
  headers['connection'] = 'Upgrade';
  headers['upgrade'] = request.headers['upgrade'] ?? 'websocket';
  const upstream = http.request({ hostname: gateway.hostname, port: gateway.port, path: `${gateway.pathname}${request.url?.slice(GRAPHQL_PATH.length) ?? ''}`, method: 'GET', headers });
  socket.on('error', () => upstream.destroy());
  upstream.on('upgrade', (answer, gatewaySocket, gatewayHead) => {
    open.add(socket);
    open.add(gatewaySocket);
    const closeBoth = () => {
      socket.destroy();
      gatewaySocket.destroy();
      open.delete(socket);
      open.delete(gatewaySocket);
    };
    socket.on('close', closeBoth);
    gatewaySocket.on('close', closeBoth);
    gatewaySocket.on('error', closeBoth);
    socket.write(responseHead(answer));
    if (gatewayHead.length > 0) socket.write(gatewayHead);
    if (head.length > 0) gatewaySocket.write(head);
    gatewaySocket.pipe(socket);
    socket.pipe(gatewaySocket);
  });
  // The gateway refused the upgrade: pass its answer on and close.
  upstream.on('response', (answer) => {
    socket.write(responseHead(answer));
    answer.pipe(socket);
  });
  upstream.on('error', () => {
    socket.end('HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });
  upstream.end();
}

/**
 * The file under `root` a request path names, or null when it names none or would leave `root`
 * (`..` segments, encoded or not, and absolute paths all resolve outside and are refused).
 */
export function fileWithin(root: string, requestPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent((requestPath.split('?')[0] ?? '').split('#')[0] ?? '');
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const resolved = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  const base = path.resolve(root);
  return resolved === base || resolved.startsWith(`${base}${path.sep}`) ? resolved : null;
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => null))?.isFile() ?? false;
}

async function serveFile(response: ServerResponse, file: string, method: string, cacheControl: string): Promise<void> {
  const { size } = await stat(file);
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': cacheControl,
    ...SECURITY_HEADERS,
  });
  if (method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file).on('error', () => response.destroy()).pipe(response);
}

/**
 * A file of the build, or index.html for a client-side route (a path without an extension, e.g.
 * /devices/42). Vite names assets by their content hash, so they may be cached for good; index.html never.
 */
async function serveStatic(request: IncomingMessage, response: ServerResponse, root: string): Promise<void> {
  const method = request.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    refuse(response, 405, 'method not allowed');
    return;
  }
  const requestPath = request.url ?? '/';
  const file = fileWithin(root, requestPath);
  if (file === null) {
    refuse(response, 404, 'not found');
    return;
  }
  const index = path.join(root, 'index.html');
  if (file !== path.resolve(root) && (await isFile(file))) {
    const hashedAsset = path.relative(root, file).startsWith(`assets${path.sep}`);
    await serveFile(response, file, method, hashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache');
    return;
  }
  // Missing files with an extension are real 404s (a stale asset), not routes.
  if (path.extname(file) !== '') {
    refuse(response, 404, 'not found');
    return;
  }
  await serveFile(response, index, method, 'no-cache');
}

/** Serves the built console at `host:port` in front of the gateway at `gatewayUrl`. */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const root = path.resolve(options.root);
  if (!(await isFile(path.join(root, 'index.html')))) throw new Error(`the web console is not built: ${path.join(root, 'index.html')} is missing (npm run build)`);
  const gateway = new URL(options.gatewayUrl);
  const upgraded = new Set<Duplex>();
  const server = http.createServer((request, response) => {
    if (isGraphqlPath(request.url)) {
      proxyHttp(request, response, gateway);
      return;
    }
    serveStatic(request, response, root).catch(() => {
      if (response.headersSent) response.destroy();
      else refuse(response, 500, 'internal error');
    });
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (isGraphqlPath(request.url)) proxyUpgrade(request, socket, head, gateway, upgraded);
    else socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  return {
    url: `http://${host}:${port}/`,
    close: async () => {
      // Upgraded sockets left the server's books: end them here, then the kept-alive HTTP ones.
      for (const socket of upgraded) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
