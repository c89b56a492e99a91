import { IDENTITY_HEADER, type IdentityAssertions, servicePrincipal } from '@cloudphone/identity';

/** How a subgraph proves, on its calls to peers, that it is itself: its service identity, signed. */
export class ServiceCredentials {
  constructor(
    readonly service: string,
    private readonly assertions: IdentityAssertions,
  ) {}

  async headers(): Promise<Record<string, string>> {
    return { [IDENTITY_HEADER]: await this.assertions.signReusable(servicePrincipal(this.service), this.service) };
  }
}
