import { type IdentityAssertions, type Principal, servicePrincipal } from '@cloudphone/identity';

const GATEWAY = 'gateway';

/** An assertion is reused for half its lifetime (60 s), so a subgraph never receives one about to expire. */
const REUSE_MS = 30_000;

/**
 * Signs the principal of a request for its subgraph fetches, and reuses the
 * assertion for the next requests of the same principal (the same verified
 * token or key yields the same principal object) for half its lifetime: the
 * subgraphs then find it in their cache of verified assertions, and identical
 * fetches of one caller carry identical headers. A fetch without a request
 * principal (composition by introspection in development) goes as the
 * gateway's own service identity.
 */
export class IdentitySigner {
  private readonly byPrincipal = new WeakMap<Principal, { assertion: Promise<string>; renewAt: number }>();
  private readonly gateway = servicePrincipal(GATEWAY);

  constructor(private readonly assertions: IdentityAssertions) {}

  assertionFor(context: { principal?: Principal } | undefined, now = Date.now()): Promise<string> {
    if (!context?.principal) return this.assertions.signReusable(this.gateway, GATEWAY);
    const cached = this.byPrincipal.get(context.principal);
    if (cached && cached.renewAt > now) return cached.assertion;
    const assertion = this.assertions.sign(context.principal, GATEWAY, now);
    this.byPrincipal.set(context.principal, { assertion, renewAt: now + REUSE_MS });
    // A failed signing is not kept: the next request tries again.
    assertion.catch(() => this.byPrincipal.delete(context.principal as Principal));
    return assertion;
  }
}
