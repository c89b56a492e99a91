import { Module } from '@nestjs/common';
import { loadDriverConfig } from '../config.js';
import { DevicesModule } from '../devices/devices.module.js';
import { PROVIDER_DRIVER, SimulatedProviderDriver } from '../drivers/provider-driver.js';
import { ProvisioningService } from './provisioning.service.js';

@Module({
  imports: [DevicesModule],
  providers: [ProvisioningService, { provide: PROVIDER_DRIVER, useFactory: () => new SimulatedProviderDriver(loadDriverConfig()) }],
  exports: [ProvisioningService, PROVIDER_DRIVER],
})
export class ProvisioningModule {}
