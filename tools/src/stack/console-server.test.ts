import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type ConsoleServer, startConsoleServer } from './console-server.js';
import { freePort } from './free-port.js';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with `rawPath` sent exactly as written (fetch would normalise `..` segments away). */
function request(server: ConsoleServer, rawPath: string, method = 'GET'): Promise<Answer> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const outgoing = http.request({ hostname, port, path: rawPath, method }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

const INDEX = '<!doctype html><title>console</title>';
const SECRET = 'outside the build';

describe('console server', () => {
  let directory: string;
  let server: ConsoleServer;

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'console-server-'));
    const root = path.join(directory, 'dist');
    await mkdir(path.join(root, 'assets'), { recursive: true });
    await writeFile(path.join(root, 'index.html'), INDEX);
    await writeFile(path.join(root, 'assets', 'app-1a2b3c.js'), 'console.log(1)');
    await writeFile(path.join(root, 'assets', 'app-1a2b3c.css'), 'body{}');
    await writeFile(path.join(directory, 'secret.txt'), SECRET);
    // Nothing listens there: the gateway is down.
    const gatewayPort = await freePort();
    server = await startConsoleServer({ root, gatewayUrl: `http://127.0.0.1:${gatewayPort}/graphql`, host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server.close();
    await rm(directory, { recursive: true, force: true });
  });

  test('client-side routes get index.html, never cached', async () => {
    for (const route of ['/', '/devices', '/devices/6f1c1e52-0000-4000-8000-000000000001', '/users/1/notifications?unread=1']) {
      const answer = await request(server, route);
      assert.equal(answer.status, 200, route);
      assert.equal(answer.body, INDEX, route);
      assert.equal(answer.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(answer.headers['cache-control'], 'no-cache');
      assert.match(String(answer.headers['content-security-policy']), /default-src 'self'/);
    }
  });

  test('assets carry their content type and are cached for good', async () => {
    const script = await request(server, '/assets/app-1a2b3c.js');
    assert.equal(script.status, 200);
    assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(script.headers['x-content-type-options'], 'nosniff');
    const style = await request(server, '/assets/app-1a2b3c.css');
    assert.equal(style.headers['content-type'], 'text/css; charset=utf-8');
    const head = await request(server, '/assets/app-1a2b3c.js', 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
  });

  test('a missing file with an extension is 404, not the app', async () => {
    const answer = await request(server, '/assets/gone-000000.js');
    assert.equal(answer.status, 404);
  });

  test('no path reaches a file outside the build', async () => {
    for (const rawPath of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '//secret.txt', '/%2fsecret.txt', '/..\\secret.txt', '/%00secret.txt', '/%E0%A4%A']) {
      const answer = await request(server, rawPath);
      assert.notEqual(answer.body, SECRET, rawPath);
      assert.ok(answer.status === 404 || answer.status === 400, `${rawPath}: ${answer.status}`);
    }
  });

  test('only GET and HEAD are served', async () => {
    const answer = await request(server, '/', 'POST');
    assert.equal(answer.status, 405);
    assert.equal(answer.headers['allow'], 'GET, HEAD');
  });

  test('/graphql with the gateway down answers like the gateway would: SERVICE_UNAVAILABLE', async () => {
    const answer = await request(server, '/graphql', 'POST');
    assert.equal(answer.status, 502);
    const body = JSON.parse(answer.body) as { errors: { extensions: { code: string } }[] };
    assert.equal(body.errors[0]?.extensions.code, 'SERVICE_UNAVAILABLE');
  });
});

test('/graphql reaches the gateway with the client named last in x-forwarded-for', async (t) => {
  // Stands in for the gateway: answers with the headers it was sent.
  const upstream = http.createServer((incoming, answer) => {
    answer.setHeader('content-type', 'application/json');
    answer.end(JSON.stringify({ forwardedFor: incoming.headers['x-forwarded-for'] ?? null, path: incoming.url }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as { port: number };
  const directory = await mkdtemp(path.join(tmpdir(), 'console-server-'));
  await writeFile(path.join(directory, 'index.html'), INDEX);
  const server = await startConsoleServer({ root: directory, gatewayUrl: `http://127.0.0.1:${port}/graphql`, host: '127.0.0.1', port: 0 });
  t.after(async () => {
    await server.close();
    await new Promise((resolve) => upstream.close(resolve));
    await rm(directory, { recursive: true, force: true });
  });
  const direct = await fetch(new URL('/graphql', server.url), { method: 'POST', body: '{}' });
  assert.deepEqual(await direct.json(), { forwardedFor: '127.0.0.1', path: '/graphql' });
  const proxied = await fetch(new URL('/graphql', server.url), { method: 'POST', body: '{}', headers: { 'x-forwarded-for': '203.0.113.9' } });
  assert.deepEqual(await proxied.json(), { forwardedFor: '203.0.113.9, 127.0.0.1', path: '/graphql' });
});
