import type { Principal } from '@cloudphone/identity';

const keys = new WeakMap<Principal, string>();

/**
 * What a principal may see, as a string: two principals with the same key
 * get the same answer to the same query, so they may share one fetch (the
 * subscription fan-out groups subscribers by it). The user matters (own rows
 * and unmasked own fields), the credential does not.
 */
export function viewKeyOf(principal: Principal): string {
  let key = keys.get(principal);
  if (key === undefined) {
    key = JSON.stringify([principal.kind, principal.userId, principal.tenantId, principal.service, principal.policy.permissions, principal.policy.dataScopes, principal.policy.fieldRules]);
    keys.set(principal, key);
  }
  return key;
}
