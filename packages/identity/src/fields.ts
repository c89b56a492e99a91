import { AppError } from '@cloudphone/errors';
import type { FieldRule, Principal } from './principal.js';

/** The rule a principal's roles put on `resource.field`; service calls are never restricted. */
export function fieldRuleFor(principal: Principal, resource: string, field: string): FieldRule | undefined {
  if (principal.kind === 'service') return undefined;
  return principal.policy.fieldRules[`${resource}.${field}`];
}

/** `alice@example.com` -> `a***@example.com`; what is not an address is masked whole. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

export function maskText(value: string): string {
  return value.length <= 1 ? '*' : `${value[0]}***`;
}

/**
 * A field value as the principal may read it: unchanged, masked, or refused
 * (HIDDEN: FORBIDDEN on that field). `mask` defaults to masking text.
 */
export function readableField<T extends string | null>(principal: Principal, resource: string, field: string, ownerUserId: string | null, value: T, mask: (value: string) => string = maskText): T | string {
  // Hiding and masking protect other people's data: one's own rows read in full.
  const own = ownerUserId !== null && principal.userId === ownerUserId;
  const rule = own ? undefined : fieldRuleFor(principal, resource, field);
  if (rule === 'HIDDEN') throw new AppError('FORBIDDEN', `The ${resource} ${field} is hidden from your role`);
  if (rule === 'MASKED' && value !== null) return mask(value);
  return value;
}

/** Refuses a change to a field the principal's roles restrict, one's own rows included. */
export function assertWritableField(principal: Principal, resource: string, field: string): void {
  const rule = fieldRuleFor(principal, resource, field);
  if (rule === 'READ_ONLY' || rule === 'HIDDEN' || rule === 'MASKED') {
    throw new AppError('FORBIDDEN', `The ${resource} ${field} is read-only for your role`, { details: { field } });
  }
}
