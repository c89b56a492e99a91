import { Connection, SortDirection } from '@cloudphone/subgraph-kit';
import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsUUID, Length } from 'class-validator';
import { Node } from '../../nodes/models/node.model.js';

export enum DeviceStatus {
  CREATING = 'CREATING',
  RUNNING = 'RUNNING',
  STOPPED = 'STOPPED',
  ERROR = 'ERROR',
  DELETED = 'DELETED',
}
registerEnumType(DeviceStatus, { name: 'DeviceStatus', description: 'Lifecycle state of a cloud phone.' });

export enum DeviceProvider {
  REDROID = 'REDROID',
  PHYSICAL = 'PHYSICAL',
  HUAWEI_CPH = 'HUAWEI_CPH',
  ALIYUN_ECP = 'ALIYUN_ECP',
}
registerEnumType(DeviceProvider, { name: 'DeviceProvider', description: 'What runs the cloud phone.' });

export enum DeviceOrderField {
  CREATED_AT = 'CREATED_AT',
  NAME = 'NAME',
  STATUS = 'STATUS',
  OWNER_NAME = 'OWNER_NAME',
  OWNER_EMAIL = 'OWNER_EMAIL',
}
registerEnumType(DeviceOrderField, { name: 'DeviceOrderField', description: 'Fields devices can be sorted by.' });

@ObjectType({ description: 'Resources of a cloud phone.' })
export class DeviceSpec {
  @Field(() => Int, { description: 'Virtual CPU cores.' })
  cpuCores: number;

  @Field(() => Int, { description: 'Memory in MiB.' })
  memoryMb: number;

  @Field(() => Int, { description: 'Storage in GiB.' })
  storageGb: number;
}

@ObjectType({ description: "This subgraph's copy of the owner's name and e-mail, for filtering and sorting; read by consistency checks, hidden from the public API." })
@Directive('@inaccessible')
export class DeviceOwnerCopy {
  @Field({ description: 'Copied display name.' })
  name: string;

  @Field({ description: 'Copied e-mail address.' })
  email: string;

  @Field(() => Int, { description: 'Version of the user the copy came from.' })
  version: number;

  /** Not a GraphQL field: whose e-mail it is, so the owner reads it unmasked (see DeviceOwnerCopyResolver). */
  userId: string;
}

/** The owner as the devices subgraph references it; the users subgraph resolves the rest. */
export interface UserReference {
  __typename: 'User';
  id: string;
}

@ObjectType({ description: 'A rented Android phone in the cloud.' })
@Directive('@key(fields: "id")')
export class Device {
  @Field(() => ID, { description: 'Unique device id.' })
  id: string;

  @Field(() => ID, { description: 'Id of the owner.' })
  userId: string;

  @Field(() => ID, { description: "Id of the owner's tenant." })
  tenantId: string;

  @Field({ description: 'Name given by the owner.' })
  name: string;

  @Field(() => DeviceStatus, { description: 'Lifecycle state.' })
  status: DeviceStatus;

  @Field(() => DeviceProvider, { description: 'What runs the phone.' })
  provider: DeviceProvider;

  @Field(() => DeviceSpec, { description: 'CPU, memory and storage.' })
  spec: DeviceSpec;

  @Field({ description: 'Android version, e.g. "13".' })
  androidVersion: string;

  @Field(() => String, { nullable: true, description: 'ADB endpoint host:port, once the phone runs.' })
  adbEndpoint: string | null;

  @Field(() => Int, { description: 'Health score from 0 (failing) to 100 (healthy).' })
  healthScore: number;

  @Field(() => Date, { nullable: true, description: 'Last heartbeat received from the phone.' })
  lastHeartbeatAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the rental ends.' })
  expiresAt: Date | null;

  @Field({ description: 'When the status last changed.' })
  statusChangedAt: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'For a DELETED device, when the provider stopped and released its phone; null before that (a deleted device that keeps null is still held at the provider, and its teardown is retried).',
  })
  tornDownAt: Date | null;

  @Field(() => Int, { description: 'Increases on every change of the device.' })
  version: number;

  @Field(() => DeviceOwnerCopy, { description: 'The local copy of the owner (not in the public API).' })
  @Directive('@inaccessible')
  ownerCopy: DeviceOwnerCopy;

  @Field({ description: 'When the device was created.' })
  createdAt: Date;

  @Field({ description: 'When the device last changed.' })
  updatedAt: Date;

  /** Not a GraphQL field: used to resolve `node`. */
  nodeId: string | null;
}

@ObjectType({ description: 'A page of devices.' })
export class DeviceConnection extends Connection(Device, 'Device') {}

@InputType({ description: 'Narrows a list of devices.' })
export class DeviceFilter {
  @Field(() => ID, { nullable: true, description: 'Only devices of this owner.' })
  @IsOptional()
  @IsUUID('all', { message: 'userId must be a valid ID' })
  userId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only devices of this tenant's users." })
  @IsOptional()
  @IsUUID('all', { message: 'tenantId must be a valid ID' })
  tenantId?: string | null;

  @Field(() => DeviceStatus, { nullable: true, description: 'Only devices in this state.' })
  @IsOptional()
  @IsEnum(DeviceStatus)
  status?: DeviceStatus | null;

  @Field(() => DeviceProvider, { nullable: true, description: 'Only devices of this provider.' })
  @IsOptional()
  @IsEnum(DeviceProvider)
  provider?: DeviceProvider | null;

  @Field(() => ID, { nullable: true, description: 'Only devices on this node.' })
  @IsOptional()
  @IsUUID('all', { message: 'nodeId must be a valid ID' })
  nodeId?: string | null;

  @Field(() => String, { nullable: true, description: "Owner's name or e-mail starts with this text (case-insensitive)." })
  @IsOptional()
  @Length(1, 100)
  owner?: string | null;
}

@InputType({ description: 'Sort order of a list of devices.' })
export class DeviceOrder {
  @Field(() => DeviceOrderField, { description: 'Field to sort by.' })
  @IsEnum(DeviceOrderField)
  field: DeviceOrderField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC, description: 'Direction.' })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

export { Node };
