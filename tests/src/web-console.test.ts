import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { type ConsoleServer, buildDemoDataset, DEMO_ADMIN, repoPath, startConsoleServer } from '@cloudphone/tools';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { testEnvironment } from '@cloudphone/testing';
import { signIn } from './support/auth.js';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

// The web console in a real browser: Debian's Chromium driven by playwright-core (which never downloads a
// browser), against the built console (web/dist) served by the console server in front of a whole stack.
// One stack, one browser: pages and contexts are cheap, stacks and browsers are not.
// test-duration: long (it outlives a 20-second access token, then a refresh)

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = repoPath('test-artifacts', 'console');
const chromiumMissing = !existsSync(CHROMIUM);
const inCi = testEnvironment().ci;
// Outside CI a developer without the browser gets a skip that says how to get it; CI installs it (.ci/run), so there it fails.
const skip = chromiumMissing && !inCi ? `no browser at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium` : false;

const dataset = buildDemoDataset();
const usersById = new Map(dataset.users.users.map((user) => [user.id, user]));
const running = dataset.devices.devices.find((device) => device.status === 'RUNNING');
const runningOwner = usersById.get(running?.userId ?? '');
// Another running device, for the test that outlives a token (the first one is stopped by then).
const alsoRunning = dataset.devices.devices.filter((device) => device.status === 'RUNNING')[1];
// Short, so the renewal test outlives a token quickly; the console renews at half its life.
const ACCESS_TOKEN_TTL_SECONDS = 20;

let stack: TestStack | undefined;
let webConsole: ConsoleServer | undefined;
let browser: Browser | undefined;
const contexts: BrowserContext[] = [];
/** Every GraphQL request body the console sent over HTTP, as the browser sent it. */
const sentOverHttp: { operationName?: string; query?: string }[] = [];

async function newPage(): Promise<Page> {
  assert.ok(browser);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  context.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/graphql') sentOverHttp.push(request.postDataJSON() as { operationName?: string; query?: string });
  });
  return context.newPage();
}

function consoleUrl(path: string): string {
  assert.ok(webConsole);
  return new URL(path, webConsole.url).toString();
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

async function signInThroughForm(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A fresh browser context signed in as the demo administrator, on `path`. */
async function adminPage(path: string): Promise<Page> {
  const page = await newPage();
  await page.goto(consoleUrl(path));
  await signInThroughForm(page, DEMO_ADMIN.email, DEMO_ADMIN.password);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

/** The owner display names of the device list's rows, top to bottom. */
async function ownerNames(page: Page): Promise<string[]> {
  return page.getByTestId('device-row').getByTestId('owner').getByRole('link').allTextContents();
}

describe('web console in headless Chromium', { skip }, () => {
  before(async () => {
    assert.ok(!chromiumMissing, `CI=true but ${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
    assert.ok(existsSync(repoPath('web', 'dist', 'index.html')), 'the console is not built: npm run build');
    await mkdir(ARTIFACTS, { recursive: true });
    // Access tokens live one minute (the least the users service allows): a session has to renew them while the test runs.
    Object.assign(process.env, { ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TOKEN_TTL_SECONDS) });
    stack = await startTestStack(await preferredKind(), { ...dataset });
    assert.ok(stack);
    webConsole = await startConsoleServer({ root: repoPath('web', 'dist'), gatewayUrl: stack.gatewayUrl, host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await webConsole?.close();
    await stack?.close();
  });

  test('a wrong password shows the error code; the demo admin signs in and sees devices with their owners', async () => {
    const page = await newPage();
    await page.goto(consoleUrl('/'));
    await screenshot(page, 'login');
    await signInThroughForm(page, DEMO_ADMIN.email, 'not-the-password');
    await page.getByTestId('error').getByText('UNAUTHENTICATED').waitFor();

    await signInThroughForm(page, DEMO_ADMIN.email, DEMO_ADMIN.password);
    await page.waitForURL(/\/devices$/);
    await page.getByTestId('device-row').first().waitFor();
    const owners = await ownerNames(page);
    assert.equal(owners.length, 25, 'one page of 25 devices');
    const knownNames = new Set(dataset.users.users.map((user) => user.displayName));
    for (const owner of owners) assert.ok(knownNames.has(owner), `${owner} is the display name of a seeded user`);
    await screenshot(page, 'devices');

    // The next page comes by cursor and is appended to the list.
    await page.getByRole('button', { name: /^Next 25/ }).click();
    await page.getByTestId('device-row').nth(49).waitFor();
  });

  test('the device list filters by owner and sorts by owner name', async () => {
    assert.ok(runningOwner);
    const page = await adminPage('/devices');
    await page.getByLabel('Owner', { exact: true }).fill(runningOwner.email);
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/owner=/);
    // The list shows every status, DELETED included.
    const expected = dataset.devices.devices.filter((device) => device.userId === runningOwner.id).length;
    await page.getByTestId('device-count').getByText(`${expected} devices`).waitFor();
    assert.deepEqual(new Set(await ownerNames(page)), new Set([runningOwner.displayName]));
    await screenshot(page, 'devices-filtered');

    await page.getByLabel('Owner', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByLabel('Sort').selectOption('owner-desc');
    await page.waitForURL(/sort=owner-desc/);
    await page.getByTestId('device-row').nth(24).waitFor();
    // Sorted by owner, each owner's devices sit together (newest first would interleave them).
    const owners = await ownerNames(page);
    const seen = new Set<string>();
    owners.forEach((owner, index) => {
      if (owner !== owners[index - 1]) {
        assert.ok(!seen.has(owner), `${owner} appears in two places: ${owners.join(', ')}`);
        seen.add(owner);
      }
    });
    assert.ok(seen.size > 1 && seen.size < owners.length, `rows are grouped by owner: ${owners.join(', ')}`);
  });

  test('stopping a device in one page changes its status in a second page without a reload', async () => {
    assert.ok(running);
    const acting = await adminPage(`/devices/${running.id}`);
    const watching = await adminPage(`/devices/${running.id}`);
    for (const page of [acting, watching]) {
      await page.getByRole('heading', { name: running.name }).waitFor();
      await page.getByTestId('status').getByText('RUNNING', { exact: false }).waitFor();
      await page.getByTestId('live').getByText('live', { exact: true }).waitFor();
    }
    // The socket is up; give the gateway a moment to have the subscription in place (as the subscription tests do).
    await watching.waitForTimeout(400);
    await watching.evaluate(() => {
      (globalThis as { consoleTestMarker?: string }).consoleTestMarker = 'not reloaded';
    });

    await acting.getByRole('button', { name: 'Stop' }).click();
    await watching.getByTestId('status').getByText('STOPPED', { exact: false }).waitFor();
    await watching.getByTestId('last-change').getByText('RUNNING → STOPPED', { exact: false }).waitFor();
    assert.equal(await watching.evaluate(() => (globalThis as { consoleTestMarker?: string }).consoleTestMarker), 'not reloaded');
    await screenshot(watching, 'device-detail');
  });

  test('the dashboard, order list and notifications show their data', async () => {
    assert.ok(runningOwner);
    const page = await adminPage(`/users/${runningOwner.id}`);
    await page.getByRole('heading', { name: runningOwner.displayName }).waitFor();
    await page.getByTestId('running').waitFor();
    await screenshot(page, 'dashboard');

    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByTestId('order-row').first().waitFor();
    await screenshot(page, 'orders');

    await page.goto(consoleUrl(`/users/${runningOwner.id}/notifications`));
    await page.getByTestId('notification').first().waitFor();
    const unreadCount = async () => Number(/^(\d+) unread$/.exec((await page.getByTestId('unread-count').textContent()) ?? '')?.[1]);
    const unread = await unreadCount();
    assert.ok(unread > 0, 'the seeded welcome notice is unread');
    await screenshot(page, 'notifications');
    await page.getByRole('button', { name: 'Mark read', exact: true }).first().click();
    await page.getByTestId('unread-count').getByText(`${unread - 1} unread`, { exact: true }).waitFor();
  });

  test('a session outlives its first access token: renewed before expiry, the live status keeps coming', async () => {
    assert.ok(alsoRunning);
    const signedInAt = Date.now();
    const watching = await adminPage(`/devices/${alsoRunning.id}`);
    // Runs in the page, where sessionStorage is (the test's own compiler knows no DOM).
    const tokenOf = () => watching.evaluate(() => {
      const storage = (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage;
      return (JSON.parse(storage.getItem('cloudphone.console.session') ?? '{}') as { accessToken?: string }).accessToken;
    });
    const first = await tokenOf();
    assert.ok(first, 'signed in');
    await watching.getByTestId('live').getByText('live', { exact: true }).waitFor();
    // Past the first token's expiry: it was renewed, and the socket reconnected with the new one (the gateway
    // closes a connection when the token it was opened with expires).
    await watching.waitForTimeout(Math.max(0, signedInAt + (ACCESS_TOKEN_TTL_SECONDS + 5) * 1_000 - Date.now()));
    assert.notEqual(await tokenOf(), first, 'the access token was renewed');
    assert.equal(await watching.getByRole('button', { name: 'Sign out' }).count(), 1, 'still signed in');
    await watching.getByTestId('live').getByText('live', { exact: true }).waitFor();
    await watching.waitForTimeout(400);

    const acting = await adminPage(`/devices/${alsoRunning.id}`);
    await acting.getByTestId('status').getByText('RUNNING', { exact: false }).waitFor();
    await acting.getByRole('button', { name: 'Stop' }).click();
    await watching.getByTestId('status').getByText('STOPPED', { exact: false }).waitFor();
  });

  test("a user opening another user's device sees FORBIDDEN with the request id", async () => {
    assert.ok(stack && running);
    const user = await signIn(stack, 'USER');
    const page = await newPage();
    await page.goto(consoleUrl('/'));
    await signInThroughForm(page, user.email, user.password);
    await page.waitForURL(/\/dashboard$/);
    await page.getByText('No devices yet.').waitFor();
    await screenshot(page, 'dashboard-empty');

    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByText('No orders yet.').waitFor();
    await page.goto(consoleUrl(`/devices/${running.id}`));
    const error = page.getByTestId('error');
    await error.getByText('FORBIDDEN').waitFor();
    assert.match((await error.textContent()) ?? '', /request id \S+/);
    await screenshot(page, 'forbidden');
  });

  // Runs last: by now the console has sent its sign-in, lists, detail, power, dashboard, orders and notifications.
  test('every operation the console sent over HTTP is in the operation manifest as sent, so the gateway had its plan warm', async () => {
    const manifest = JSON.parse(await readFile(repoPath('schema', 'operations', 'manifest.json'), 'utf8')) as { operations: { name: string; body: string }[] };
    const bodies = new Map(manifest.operations.map((operation) => [operation.name, operation.body]));
    const names = new Set(sentOverHttp.map((body) => body.operationName));
    assert.ok(names.size >= 8, `the console sent its operations: ${[...names].join(', ')}`);
    for (const { operationName, query } of sentOverHttp) {
      assert.ok(operationName && bodies.has(operationName), `${String(operationName)} is in the manifest`);
      assert.equal(query, bodies.get(operationName), `${operationName}: the manifest body is the text the console sends, byte for byte`);
    }
  });
});
