import { AppError } from '@cloudphone/errors';
import { type AccessPolicy, DATA_SCOPES, type DataScope, type FieldRule, type Principal } from './principal.js';

/** One role's grants, as the users subgraph stores them. */
export interface RoleGrants {
  readonly permissions: readonly string[];
  readonly dataScopes: Readonly<Record<string, DataScope>>;
  readonly fieldRules: Readonly<Record<string, FieldRule>>;
}

const RULE_STRENGTH: Record<FieldRule, number> = { READ_ONLY: 1, MASKED: 2, HIDDEN: 3 };

/**
 * The policy of a user holding several roles: the union of permissions and
 * the widest data scope per resource, while field rules keep the strictest
 * one any role sets. Field rules protect data (PII) whatever else a role
 * grants, so they fail closed: an ADMIN who is also a USER still sees other
 * people's e-mail masked.
 */
export function compilePolicy(roles: readonly RoleGrants[]): AccessPolicy {
  const permissions = new Set<string>();
  const dataScopes: Record<string, DataScope> = {};
  const fieldRules: Record<string, FieldRule> = {};
  for (const role of roles) {
    for (const permission of role.permissions) permissions.add(permission);
    for (const [resource, scope] of Object.entries(role.dataScopes)) {
      const current = dataScopes[resource];
      if (current === undefined || DATA_SCOPES.indexOf(scope) > DATA_SCOPES.indexOf(current)) dataScopes[resource] = scope;
    }
    for (const [field, rule] of Object.entries(role.fieldRules)) {
      const current = fieldRules[field];
      if (current === undefined || RULE_STRENGTH[rule] > RULE_STRENGTH[current]) fieldRules[field] = rule;
    }
  }
  return { permissions: [...permissions].sort(), dataScopes, fieldRules };
}

/** An API key acts with its owner's policy narrowed to the key's scopes (permissions). */
export function narrowPolicy(policy: AccessPolicy, scopes: readonly string[]): AccessPolicy {
  const kept = new Set(scopes);
  const permissions = policy.permissions.filter((permission) => kept.has(permission));
  const readable = new Set(permissions.map((permission) => permission.split(':')[0]));
  const dataScopes = Object.fromEntries(Object.entries(policy.dataScopes).filter(([resource]) => readable.has(resource)));
  return { permissions, dataScopes, fieldRules: policy.fieldRules };
}

export function hasPermission(principal: Principal, permission: string): boolean {
  return principal.kind === 'service' || principal.policy.permissions.includes(permission);
}

/** Refuses, as FORBIDDEN, a principal without the permission. */
export function requirePermission(principal: Principal, permission: string): void {
  if (principal.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', 'Sign in to do this');
  if (!hasPermission(principal, permission)) {
    throw new AppError('FORBIDDEN', `Not allowed: this needs the ${permission} permission`);
  }
}

/**
 * Whether a role grants nothing beyond `policy`: each of its permissions is
 * held, and no data scope reaches wider. Who may hand out a role: nobody
 * gives more than they have (an ADMIN cannot make a SUPER_ADMIN).
 */
export function grantsWithin(role: RoleGrants, policy: AccessPolicy): boolean {
  const held = new Set(policy.permissions);
  if (!role.permissions.every((permission) => held.has(permission))) return false;
  return Object.entries(role.dataScopes).every(([resource, scope]) => {
    const own = policy.dataScopes[resource];
    return own !== undefined && DATA_SCOPES.indexOf(scope) <= DATA_SCOPES.indexOf(own);
  });
}
