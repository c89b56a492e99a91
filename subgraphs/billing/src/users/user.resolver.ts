import { type RequestContext, ConnectionArgs, isId } from '@cloudphone/subgraph-kit';
import { Args, Context, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { InvoiceConnection } from '../invoices/models/invoice.model.js';
import { InvoicesService } from '../invoices/invoices.service.js';
import { Order, OrderConnection, OrderStatus } from '../orders/models/order.model.js';
import { OrdersService } from '../orders/orders.service.js';
import { User } from './models/user.model.js';
import { BalancesService } from '../balances/balances.service.js';
import { Balance } from '../balances/models/balance.model.js';

/** Billing's fields on the users subgraph's User. */
@Resolver(() => User)
export class UserResolver {
  constructor(
    private readonly orderService: OrdersService,
    private readonly balances: BalancesService,
    private readonly invoiceService: InvoicesService,
  ) {}

  @ResolveField(() => Balance, { nullable: true, description: "The user's balance (zero if it never moved); null when billing cannot answer or it is not the caller's to read." })
  balance(
    @Parent() user: User,
    @Args('currency', { type: () => String, nullable: true, description: 'ISO 4217 currency; default: the platform currency.' }) currency: string | null | undefined,
    @Context() context: RequestContext,
  ) {
    return this.balances.balanceOf(context, user.id, currency ?? undefined);
  }

  @ResolveField(() => OrderConnection, { nullable: true, description: "The user's orders, newest first; null when billing cannot answer." })
  orders(
    @Parent() user: User,
    @Args() args: ConnectionArgs,
    @Args('status', { type: () => OrderStatus, nullable: true, description: 'Only orders in this state.' }) status: OrderStatus | null | undefined,
    @Context() context: RequestContext,
  ) {
    return this.orderService.ordersOfUser(context, user.id, args, status ?? undefined);
  }

  @ResolveField(() => Order, { nullable: true, description: "The user's most recent order; null when they have none." })
  latestOrder(@Parent() user: User, @Context() context: RequestContext) {
    return this.orderService.latestOfUser(context, user.id);
  }

  @ResolveField(() => InvoiceConnection, { nullable: true, description: "The user's monthly invoices, newest month first; needs payment:read on the user; null when billing cannot answer." })
  invoices(@Parent() user: User, @Args() args: ConnectionArgs, @Context() context: RequestContext) {
    return this.invoiceService.invoicesOfUser(context, user.id, args);
  }

  /** Any well-formed id is a user here: the users subgraph owns existence. */
  @ResolveReference()
  resolveReference(@Parent() reference: { id: unknown }): User | null {
    return isId(reference.id) ? { id: reference.id.toLowerCase() } : null;
  }
}
