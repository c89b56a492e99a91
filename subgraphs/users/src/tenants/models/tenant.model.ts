import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '@cloudphone/subgraph-kit';

export enum TenantStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
}
registerEnumType(TenantStatus, { name: 'TenantStatus', description: 'Whether a tenant may use the platform.' });

@ObjectType({ description: 'An organisation; every user belongs to one tenant.' })
@Directive('@key(fields: "id")')
export class Tenant {
  @Field(() => ID, { description: 'Unique tenant id.' })
  id: string;

  @Field({ description: 'Display name, unique across the platform.' })
  name: string;

  @Field(() => TenantStatus, { description: 'ACTIVE or SUSPENDED.' })
  status: TenantStatus;

  @Field(() => Int, { description: 'Most users the tenant may have.' })
  maxUsers: number;

  @Field(() => Int, { description: 'Most devices the tenant may have.' })
  maxDevices: number;

  @Field({ description: 'When the tenant was created.' })
  createdAt: Date;
}

@ObjectType({ description: 'A page of tenants.' })
export class TenantConnection extends Connection(Tenant, 'Tenant') {}
