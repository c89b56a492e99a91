import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger, unexpectedErrorLog } from './logger.js';

function capture(): { lines: Record<string, unknown>[]; destination: { write(line: string): void } } {
  const lines: Record<string, unknown>[] = [];
  return { lines, destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } };
}

test('an unexpected error is one JSON line with the service, the request id, the code and the stack', () => {
  const { lines, destination } = capture();
  const log = unexpectedErrorLog(createLogger({ service: 'devices', level: 'warn', destination }));
  log({ service: 'devices', message: 'relation "devices" does not exist', stack: 'Error: relation\n    at x', requestId: 'req-7' });
  log({ service: 'users', message: 'relayed' });
  assert.equal(lines.length, 2);
  const [first, second] = lines;
  assert.equal(typeof first?.['time'], 'string');
  assert.deepEqual(
    { level: first?.['level'], service: first?.['service'], message: first?.['message'], code: first?.['code'], requestId: first?.['requestId'], stack: first?.['stack'], origin: first?.['origin'] },
    { level: 'error', service: 'devices', message: 'relation "devices" does not exist', code: 'INTERNAL_ERROR', requestId: 'req-7', stack: 'Error: relation\n    at x', origin: undefined },
  );
  assert.equal(second?.['origin'], 'users', 'an error relayed from another service names it');
  assert.equal('requestId' in (second ?? {}), false, 'no request, no requestId field');
});

test('lines under the level are not written', () => {
  const { lines, destination } = capture();
  const logger = createLogger({ service: 'gateway', level: 'warn', destination });
  logger.info('routine');
  logger.warn({ requestId: 'r1' }, 'connection refused');
  assert.deepEqual(lines.map((line) => [line['level'], line['message'], line['requestId']]), [['warn', 'connection refused', 'r1']]);
});
