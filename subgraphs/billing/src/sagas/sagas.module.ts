import { Module } from '@nestjs/common';
import { SagaRunner } from './saga-runner.service.js';
import { SagasRepository } from './sagas.repository.js';

/** Persisted sagas and the runner that drives them. */
@Module({
  providers: [SagasRepository, SagaRunner],
  exports: [SagasRepository, SagaRunner],
})
export class SagasModule {}
