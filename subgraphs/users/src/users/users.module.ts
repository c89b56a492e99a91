import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module.js';
import { UsersRepository } from './users.repository.js';
import { UsersResolver } from './users.resolver.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [TenantsModule],
  providers: [UsersRepository, UsersService, UsersResolver],
  exports: [UsersService],
})
export class UsersModule {}
