import { Field, InputType, Int } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';
import { QuotaStatus } from './quota.model.js';

const MAX_LIMIT = 1_000_000_000;

@InputType({ description: "Changes to a user's quota; omitted fields stay as they are. A limit below the current usage refuses new devices and starts until usage falls under it." })
export class SetUserQuotaInput {
  @Field(() => Int, { nullable: true, description: 'Most devices, 0 or more.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_LIMIT)
  maxDevices?: number | null;

  @Field(() => Int, { nullable: true, description: 'Most devices running at once, 0 or more.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_LIMIT)
  maxRunningDevices?: number | null;

  @Field(() => Int, { nullable: true, description: 'Most cpu cores, 0 or more.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_LIMIT)
  maxCpuCores?: number | null;

  @Field(() => Int, { nullable: true, description: 'Most memory in MiB, 0 or more.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_LIMIT)
  maxMemoryMb?: number | null;

  @Field(() => Int, { nullable: true, description: 'Most storage in GiB, 0 or more.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_LIMIT)
  maxStorageGb?: number | null;

  @Field(() => QuotaStatus, { nullable: true, description: 'ACTIVE, or SUSPENDED to refuse every create and start.' })
  @IsOptional()
  @IsEnum(QuotaStatus)
  status?: QuotaStatus | null;
}
