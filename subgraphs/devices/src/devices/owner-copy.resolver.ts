import { maskEmail, readableField } from '@cloudphone/identity';
import type { RequestContext } from '@cloudphone/subgraph-kit';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { DeviceOwnerCopy } from './models/device.model.js';

@Resolver(() => DeviceOwnerCopy)
export class DeviceOwnerCopyResolver {
  /**
   * The copied e-mail obeys the same field rule as the users subgraph's
   * `User.email`: masked (a***@example.com) or refused (HIDDEN: FORBIDDEN)
   * for roles that restrict it, in full for the owner and for services.
   */
  @ResolveField(() => String, { description: 'Copied e-mail address.' })
  email(@Parent() copy: DeviceOwnerCopy, @Context() context: RequestContext): string {
    return readableField(context.principal, 'user', 'email', copy.userId, copy.email, maskEmail);
  }
}
