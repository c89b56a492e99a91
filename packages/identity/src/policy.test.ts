import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskEmail, readableField, assertWritableField } from './fields.js';
import { compilePolicy, grantsWithin, narrowPolicy } from './policy.js';
import { ANONYMOUS, type Principal, servicePrincipal } from './principal.js';
import { assertService, canAccess, rowScope } from './scope.js';

const user = (policy: Principal['policy'], userId = 'u1', tenantId = 't1'): Principal => ({ kind: 'user', userId, tenantId, roles: [], policy, credentialId: null, service: null });

test('several roles: permissions add up, the widest scope wins, the strictest field rule stays', () => {
  const policy = compilePolicy([
    { permissions: ['device:read'], dataScopes: { device: 'SELF', user: 'SELF' }, fieldRules: { 'user.email': 'HIDDEN', 'user.status': 'READ_ONLY' } },
    { permissions: ['device:read', 'user:read'], dataScopes: { device: 'TENANT' }, fieldRules: { 'user.email': 'MASKED' } },
  ]);
  assert.deepEqual(policy.permissions, ['device:read', 'user:read']);
  assert.deepEqual(policy.dataScopes, { device: 'TENANT', user: 'SELF' });
  assert.deepEqual(policy.fieldRules, { 'user.email': 'HIDDEN', 'user.status': 'READ_ONLY' });
  assert.deepEqual(compilePolicy([]), { permissions: [], dataScopes: {}, fieldRules: {} });
});

test('an API key narrows its owner to its scopes: resources it has no permission on drop out', () => {
  const owner = compilePolicy([{ permissions: ['device:read', 'device:write', 'order:read'], dataScopes: { device: 'SELF', order: 'SELF' }, fieldRules: {} }]);
  const narrowed = narrowPolicy(owner, ['device:read', 'plan:read']);
  assert.deepEqual(narrowed.permissions, ['device:read']);
  assert.deepEqual(narrowed.dataScopes, { device: 'SELF' });
});

test('row scopes need the permission and a data scope; services reach everything, anonymous nothing', () => {
  const tenantReader = user({ permissions: ['device:read'], dataScopes: { device: 'TENANT' }, fieldRules: {} });
  assert.deepEqual(rowScope(tenantReader, 'device'), { kind: 'TENANT', tenantId: 't1' });
  assert.deepEqual(rowScope(tenantReader, 'device', 'write'), { kind: 'NONE' }, 'no device:write');
  assert.deepEqual(rowScope(tenantReader, 'order'), { kind: 'NONE' });
  assert.equal(canAccess(tenantReader, 'device', { userId: 'someone', tenantId: 't1' }), true);
  assert.equal(canAccess(tenantReader, 'device', { userId: 'someone', tenantId: 't2' }), false);
  assert.equal(canAccess(tenantReader, 'device', { userId: 'someone', tenantId: null }), false, 'a row without a tenant copy: fail closed');
  assert.deepEqual(rowScope(servicePrincipal('devices'), 'device', 'write'), { kind: 'ALL' });
  assert.deepEqual(rowScope(ANONYMOUS, 'device'), { kind: 'NONE' });
});

test('field rules: masked and hidden for other people only, read-only even for oneself', () => {
  const admin = user({ permissions: [], dataScopes: {}, fieldRules: { 'user.email': 'MASKED', 'user.status': 'READ_ONLY', 'user.phone': 'HIDDEN' } });
  assert.equal(readableField(admin, 'user', 'email', 'someone-else', 'alice@example.com', maskEmail), 'a***@example.com');
  assert.equal(readableField(admin, 'user', 'email', 'u1', 'me@example.com', maskEmail), 'me@example.com');
  assert.throws(() => readableField(admin, 'user', 'phone', 'someone-else', '+1 555'), { code: 'FORBIDDEN' });
  assert.throws(() => assertWritableField(admin, 'user', 'status'), { code: 'FORBIDDEN' });
  assert.doesNotThrow(() => assertWritableField(admin, 'user', 'displayName'));
  assert.equal(maskEmail('nobody'), '***');
});

test('a role may be handed out only by someone whose policy covers it', () => {
  const admin = compilePolicy([{ permissions: ['user:read', 'role:write'], dataScopes: { user: 'TENANT' }, fieldRules: {} }]);
  assert.equal(grantsWithin({ permissions: ['user:read'], dataScopes: { user: 'SELF' }, fieldRules: {} }, admin), true);
  assert.equal(grantsWithin({ permissions: ['user:read'], dataScopes: { user: 'ALL' }, fieldRules: {} }, admin), false, 'a wider scope');
  assert.equal(grantsWithin({ permissions: ['tenant:write'], dataScopes: {}, fieldRules: {} }, admin), false, 'a permission not held');
});

test('a service operation refuses users and anonymous callers, and, when it names its callers, every other service', () => {
  const code = (run: () => void) => {
    try {
      run();
      return 'allowed';
    } catch (error) {
      return (error as { code?: string }).code;
    }
  };
  assert.equal(code(() => assertService(servicePrincipal('devices'))), 'allowed');
  assert.equal(code(() => assertService(ANONYMOUS)), 'UNAUTHENTICATED');
  assert.equal(code(() => assertService(servicePrincipal('billing'), 'billing')), 'allowed');
  assert.equal(code(() => assertService(servicePrincipal('devices'), 'billing')), 'FORBIDDEN');
});
