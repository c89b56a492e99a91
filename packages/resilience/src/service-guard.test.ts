import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '@cloudphone/errors';
import { ServiceFailure, ServiceGuard } from './index.js';

const fast = { timeoutMs: 100, retries: 2, breakerThreshold: 3, breakerResetMs: 60_000 };

async function expectUnavailable(run: () => Promise<unknown>, service: string): Promise<AppError> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'SERVICE_UNAVAILABLE');
    assert.equal(error.service, service);
    assert.equal(error.retryable, true);
    return error;
  }
  assert.fail('expected SERVICE_UNAVAILABLE');
}

test('reads are retried after a transport failure; writes are not', async () => {
  const guard = new ServiceGuard('users', fast);
  let readCalls = 0;
  const value = await guard.execute(async () => {
    readCalls += 1;
    if (readCalls === 1) throw new ServiceFailure('connection refused');
    return 'ok';
  }, { idempotent: true });
  assert.equal(value, 'ok');
  assert.equal(readCalls, 2);

  let writeCalls = 0;
  await expectUnavailable(
    () => guard.execute(async () => { writeCalls += 1; throw new ServiceFailure('connection reset'); }, { idempotent: false }),
    'users',
  );
  assert.equal(writeCalls, 1);
});

test('a slow call times out as SERVICE_UNAVAILABLE naming the service', async () => {
  const guard = new ServiceGuard('billing', { ...fast, retries: 0 });
  const error = await expectUnavailable(
    () => guard.execute(({ signal }) => new Promise((resolve, reject) => { const timer = setTimeout(resolve, 5_000); signal.addEventListener('abort', () => { clearTimeout(timer); reject(new Error('aborted')); }); }), { idempotent: true }),
    'billing',
  );
  assert.match(error.userMessage, /did not answer in time/);
});

test('after repeated failures the circuit opens and calls fail fast without reaching the service', async () => {
  const guard = new ServiceGuard('apps', { ...fast, retries: 0 });
  let calls = 0;
  const failing = () => guard.execute(async () => { calls += 1; throw new ServiceFailure('down'); }, { idempotent: true });
  for (let i = 0; i < fast.breakerThreshold; i += 1) await expectUnavailable(failing, 'apps');
  const before = calls;
  const error = await expectUnavailable(failing, 'apps');
  assert.equal(calls, before, 'an open circuit does not call the service');
  assert.match(error.internalMessage, /circuit open/);
});

test('an application error passes through untouched', async () => {
  const guard = new ServiceGuard('users', fast);
  await assert.rejects(() => guard.execute(async () => { throw new AppError('USER_NOT_FOUND', 'nope'); }, { idempotent: true }), (error: unknown) => error instanceof AppError && error.code === 'USER_NOT_FOUND');
});
