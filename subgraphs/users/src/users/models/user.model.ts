import { Connection, SortDirection } from '@cloudphone/subgraph-kit';
import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { Tenant } from '../../tenants/models/tenant.model.js';

export enum UserStatus {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
  SUSPENDED = 'SUSPENDED',
  DELETED = 'DELETED',
}
registerEnumType(UserStatus, { name: 'UserStatus', description: 'Lifecycle state of a user account.' });

export enum UserOrderField {
  CREATED_AT = 'CREATED_AT',
  USERNAME = 'USERNAME',
  EMAIL = 'EMAIL',
}
registerEnumType(UserOrderField, { name: 'UserOrderField', description: 'Fields users can be sorted by.' });

@ObjectType({ description: 'A person who rents cloud phones.' })
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID, { description: 'Unique user id.' })
  id: string;

  @Field(() => ID, { description: 'Id of the tenant the user belongs to.' })
  tenantId: string;

  @Field(() => Tenant, { description: 'The tenant the user belongs to.' })
  tenant?: Tenant;

  @Field({ description: 'Login name, unique within the tenant.' })
  username: string;

  @Field({ description: 'E-mail address, unique across the platform; masked (a***@example.com) or hidden for roles whose field rules say so, never for oneself.' })
  email: string;

  @Field({ description: 'Name shown to other people.' })
  displayName: string;

  @Field(() => UserStatus, { description: 'Account state.' })
  status: UserStatus;

  @Field(() => Int, { description: 'Increases on every change of the user.' })
  version: number;

  @Field({ description: 'When the account was created.' })
  createdAt: Date;

  @Field({ description: 'When the account last changed.' })
  updatedAt: Date;
}

@ObjectType({ description: 'A page of users.' })
export class UserConnection extends Connection(User, 'User') {}

@InputType({ description: 'Narrows a list of users.' })
export class UserFilter {
  @Field(() => ID, { nullable: true, description: 'Only users of this tenant.' })
  @IsOptional()
  @IsUUID()
  tenantId?: string | null;

  @Field(() => UserStatus, { nullable: true, description: 'Only users in this state.' })
  @IsOptional()
  @IsEnum(UserStatus)
  status?: UserStatus | null;
}

@InputType({ description: 'Sort order of a list of users.' })
export class UserOrder {
  @Field(() => UserOrderField, { description: 'Field to sort by.' })
  @IsEnum(UserOrderField)
  field: UserOrderField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC, description: 'Direction.' })
  @IsEnum(SortDirection)
  direction: SortDirection;
}
