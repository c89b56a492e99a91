import { z } from 'zod';
import type { AccessPolicy, Principal, PrincipalKind } from './principal.js';

/**
 * The claims that carry a principal inside a JWT, shared by the users
 * subgraph's access tokens and the gateway's identity assertions: short
 * names, because every request carries them.
 */
const policyClaims = z.object({
  perm: z.array(z.string()).default([]),
  dsc: z.record(z.string(), z.enum(['ALL', 'TENANT', 'SELF'])).default({}),
  fld: z.record(z.string(), z.enum(['HIDDEN', 'MASKED', 'READ_ONLY'])).default({}),
});

export const principalClaims = policyClaims.extend({
  knd: z.enum(['user', 'api-key', 'service', 'anonymous']),
  sub: z.string().optional(),
  tid: z.string().optional(),
  rol: z.array(z.string()).default([]),
  cid: z.string().optional(),
  svc: z.string().optional(),
});

export type PrincipalClaims = z.input<typeof principalClaims>;

export function claimsOf(principal: Principal): PrincipalClaims {
  return {
    knd: principal.kind,
    ...(principal.userId ? { sub: principal.userId } : {}),
    ...(principal.tenantId ? { tid: principal.tenantId } : {}),
    rol: [...principal.roles],
    ...(principal.credentialId ? { cid: principal.credentialId } : {}),
    ...(principal.service ? { svc: principal.service } : {}),
    perm: [...principal.policy.permissions],
    dsc: { ...principal.policy.dataScopes },
    fld: { ...principal.policy.fieldRules },
  };
}

/** Reads a principal from verified claims; undefined when they are not a principal's. */
export function principalFromClaims(payload: unknown): Principal | undefined {
  const parsed = principalClaims.safeParse(payload);
  if (!parsed.success) return undefined;
  const claims = parsed.data;
  const kind: PrincipalKind = claims.knd;
  if ((kind === 'user' || kind === 'api-key') && (!claims.sub || !claims.tid)) return undefined;
  if (kind === 'service' && !claims.svc) return undefined;
  const policy: AccessPolicy = { permissions: claims.perm, dataScopes: claims.dsc, fieldRules: claims.fld };
  return {
    kind,
    userId: claims.sub ?? null,
    tenantId: claims.tid ?? null,
    roles: claims.rol,
    policy,
    credentialId: claims.cid ?? null,
    service: claims.svc ?? null,
  };
}
