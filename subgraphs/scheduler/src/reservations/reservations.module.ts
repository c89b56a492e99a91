import { Module } from '@nestjs/common';
import { AllocationsModule } from '../allocations/allocations.module.js';
import { ReservationSweeperService } from './reservation-sweeper.service.js';

@Module({
  imports: [AllocationsModule],
  providers: [ReservationSweeperService],
})
export class ReservationsModule {}
