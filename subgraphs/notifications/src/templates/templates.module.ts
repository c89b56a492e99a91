import { Module } from '@nestjs/common';
import { TemplatesRepository } from './templates.repository.js';
import { TemplatesResolver } from './templates.resolver.js';
import { TemplatesService } from './templates.service.js';

@Module({
  providers: [TemplatesRepository, TemplatesService, TemplatesResolver],
  exports: [TemplatesService],
})
export class TemplatesModule {}
