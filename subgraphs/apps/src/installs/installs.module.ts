import { InstallResultsConsumer } from './install-results.consumer.js';
import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { InstallsRepository } from './installs.repository.js';
import { InstallsResolver } from './installs.resolver.js';
import { InstallsService } from './installs.service.js';

@Module({
  imports: [ApplicationsModule],
  providers: [InstallsRepository, InstallsService, InstallsResolver, InstallResultsConsumer],
  exports: [InstallsService],
})
export class InstallsModule {}
