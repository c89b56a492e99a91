import { Field, InputType, Int } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, Length, Max, Min } from 'class-validator';
import { TenantStatus } from './tenant.model.js';

@InputType({ description: 'A new tenant.' })
export class CreateTenantInput {
  @Field({ description: 'Display name, 2 to 100 characters, unique.' })
  @Length(2, 100)
  name: string;

  @Field(() => Int, { nullable: true, description: 'Most users (default 100).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxUsers?: number | null;

  @Field(() => Int, { nullable: true, description: 'Most devices (default 1000).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  maxDevices?: number | null;
}

@InputType({ description: 'Changes to a tenant; omitted fields stay as they are.' })
export class UpdateTenantInput {
  @Field(() => String, { nullable: true, description: 'New display name.' })
  @IsOptional()
  @Length(2, 100)
  name?: string | null;

  @Field(() => TenantStatus, { nullable: true, description: 'New status.' })
  @IsOptional()
  @IsEnum(TenantStatus)
  status?: TenantStatus | null;

  @Field(() => Int, { nullable: true, description: 'New user limit.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxUsers?: number | null;

  @Field(() => Int, { nullable: true, description: 'New device limit.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  maxDevices?: number | null;
}
