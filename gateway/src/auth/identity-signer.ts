import { type IdentityAssertions, type Principal, servicePrincipal } from '@cloudphone/identity';

const GATEWAY = 'gateway';

/**
 * Signs the principal of a request once, for all of its subgraph fetches.
 * A fetch without a request principal (composition by introspection in
 * development) goes as the gateway's own service identity.
 */
export class IdentitySigner {
  private readonly byContext = new WeakMap<object, Promise<string>>();
  private readonly gateway = servicePrincipal(GATEWAY);

  constructor(private readonly assertions: IdentityAssertions) {}

  assertionFor(context: { principal?: Principal } | undefined): Promise<string> {
    if (!context?.principal) return this.assertions.signReusable(this.gateway, GATEWAY);
    let assertion = this.byContext.get(context);
    if (!assertion) {
      assertion = this.assertions.sign(context.principal, GATEWAY);
      this.byContext.set(context, assertion);
    }
    return assertion;
  }
}
