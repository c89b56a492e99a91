/**
 * Who a request acts for, as every subgraph sees it. The gateway builds it
 * from a verified access token or API key and passes it on signed (see
 * `IdentityAssertions`); a subgraph calling a peer acts as a service.
 */
export type PrincipalKind = 'user' | 'api-key' | 'service' | 'anonymous';

/** How far a role reaches for one resource: everything, its tenant, or its own rows. */
export type DataScope = 'ALL' | 'TENANT' | 'SELF';
export const DATA_SCOPES: readonly DataScope[] = ['SELF', 'TENANT', 'ALL'];

/** What a role may not do with one field: never see it, see it masked, or not change it. */
export type FieldRule = 'HIDDEN' | 'MASKED' | 'READ_ONLY';
export const FIELD_RULES: readonly FieldRule[] = ['HIDDEN', 'MASKED', 'READ_ONLY'];

/** What a principal may do, compiled from its roles (and narrowed by an API key's scopes). */
export interface AccessPolicy {
  /** `resource:action` (e.g. `device:read`, `user:read:pii`). */
  readonly permissions: readonly string[];
  /** Data scope by resource; a resource absent here is out of reach. */
  readonly dataScopes: Readonly<Record<string, DataScope>>;
  /** Field rules by `resource.field` (e.g. `user.email`). */
  readonly fieldRules: Readonly<Record<string, FieldRule>>;
}

export interface Principal {
  readonly kind: PrincipalKind;
  /** The user acted for (the key's owner for an API key); null for services and anonymous callers. */
  readonly userId: string | null;
  readonly tenantId: string | null;
  readonly roles: readonly string[];
  readonly policy: AccessPolicy;
  /** The session (user tokens) or key id (API keys), for revocation and audit. */
  readonly credentialId: string | null;
  /** The calling service, for service principals. */
  readonly service: string | null;
}

const NO_ACCESS: AccessPolicy = Object.freeze({ permissions: Object.freeze([]), dataScopes: Object.freeze({}), fieldRules: Object.freeze({}) });

/** A caller the gateway vouched for without credentials: it reaches only the public operations. */
export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous', userId: null, tenantId: null, roles: Object.freeze([]), policy: NO_ACCESS, credentialId: null, service: null });

/** A subgraph acting on its own (peer calls, sweeps, consumers): internal, so not scoped. */
export function servicePrincipal(service: string): Principal {
  return { kind: 'service', userId: null, tenantId: null, roles: [], policy: NO_ACCESS, credentialId: null, service };
}

export function isAuthenticated(principal: Principal): boolean {
  return principal.kind !== 'anonymous';
}
