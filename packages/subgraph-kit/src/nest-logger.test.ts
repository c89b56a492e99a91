import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '@cloudphone/observability';
import { NestJsonLogger } from './nest-logger.js';

test("Nest's log calls become JSON lines with their context, and a stack trace on errors", () => {
  const lines: Record<string, unknown>[] = [];
  const logger = new NestJsonLogger(createLogger({ service: 'billing', level: 'info', destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } }));
  const stack = 'Error: boom\n    at run (file:///app/x.js:1:2)';
  logger.log('Nest application successfully started', 'NestApplication');
  logger.error('boom', stack, 'billing-outbox');
  logger.error('lone stack', stack);
  logger.error('lone context', 'RoutesResolver');
  logger.warn('publishing failed, will retry');
  logger.debug('not at info');
  const fields = (line: Record<string, unknown>) => [line['level'], line['service'], line['message'], line['context'], line['stack']];
  assert.deepEqual(lines.map(fields), [
    ['info', 'billing', 'Nest application successfully started', 'NestApplication', undefined],
    ['error', 'billing', 'boom', 'billing-outbox', stack],
    ['error', 'billing', 'lone stack', undefined, stack],
    ['error', 'billing', 'lone context', 'RoutesResolver', undefined],
    ['warn', 'billing', 'publishing failed, will retry', undefined, undefined],
  ]);
});
