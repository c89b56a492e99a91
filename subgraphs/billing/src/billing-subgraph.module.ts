import { SubgraphCoreModule, type SubgraphRuntime } from '@cloudphone/subgraph-kit';
import { type DynamicModule, Module } from '@nestjs/common';
import { BalancesModule } from './balances/balances.module.js';
import { BillingRulesModule } from './billing-rules/billing-rules.module.js';
import { loadBillingSettings } from './config.js';
import { DevicesModule } from './devices/devices.module.js';
import { InvoicesModule } from './invoices/invoices.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { MeteringModule } from './metering/metering.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { PeersModule } from './peers/peers.module.js';
import { PlansModule } from './plans/plans.module.js';
import { PurchasesModule } from './purchases/purchases.module.js';
import { BillingSettingsModule } from './settings.module.js';
import { UsersModule } from './users/users.module.js';

export const SERVICE_NAME = 'billing';

@Module({})
export class BillingSubgraphModule {
  static register(options: SubgraphRuntime): DynamicModule {
    return {
      module: BillingSubgraphModule,
      imports: [
        SubgraphCoreModule.forSubgraph(SERVICE_NAME, options),
        PeersModule.forPeers(options.peers),
        BillingSettingsModule.forSettings(loadBillingSettings()),
        BalancesModule,
        PlansModule,
        OrdersModule,
        PurchasesModule,
        UsersModule,
        DevicesModule,
        BillingRulesModule,
        MeteringModule,
        InvoicesModule,
        JobsModule,
      ],
    };
  }
}
