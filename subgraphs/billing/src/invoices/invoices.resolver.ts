import { type RequestContext, parseId } from '@cloudphone/subgraph-kit';
import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Device } from '../devices/models/device.model.js';
import { User } from '../users/models/user.model.js';
import { Invoice, InvoiceLine, InvoiceTotals } from './models/invoice.model.js';
import { InvoicesService } from './invoices.service.js';

@Resolver(() => Invoice)
export class InvoicesResolver {
  constructor(private readonly invoices: InvoicesService) {}

  @Query(() => Invoice, { nullable: true, description: 'One invoice by id; null when there is none (needs payment:read on its user).' })
  invoice(@Args('id', { type: () => ID, description: 'Id of the invoice.' }) id: string, @Context() context: RequestContext) {
    return this.invoices.byId(context, parseId(id));
  }

  @ResolveField(() => User)
  user(@Parent() invoice: Invoice): User {
    return { id: invoice.userId };
  }

  @ResolveField(() => InvoiceTotals)
  totals(@Parent() invoice: Invoice, @Context() context: RequestContext) {
    return this.invoices.totalsOf(context, invoice);
  }

  @ResolveField(() => [InvoiceLine])
  lines(@Parent() invoice: Invoice, @Context() context: RequestContext) {
    return this.invoices.linesOf(context, invoice);
  }
}

@Resolver(() => InvoiceLine)
export class InvoiceLineResolver {
  @ResolveField(() => Device, { nullable: true })
  device(@Parent() line: InvoiceLine): Device | null {
    return line.deviceId === null ? null : { id: line.deviceId };
  }
}
