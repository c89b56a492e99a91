import { Module } from '@nestjs/common';
import { InvoiceLineResolver, InvoicesResolver } from './invoices.resolver.js';
import { InvoicesRepository } from './invoices.repository.js';
import { InvoicesService } from './invoices.service.js';

/** Monthly invoices per user and currency: read on demand, closed by the billing jobs. */
@Module({
  providers: [InvoicesRepository, InvoicesService, InvoicesResolver, InvoiceLineResolver],
  exports: [InvoicesRepository, InvoicesService],
})
export class InvoicesModule {}
