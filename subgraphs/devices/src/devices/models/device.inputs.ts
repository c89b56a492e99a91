import { Directive, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { DeviceProvider } from './device.model.js';
import { PlacementInput } from './placement.input.js';
import { DeviceSpecFields } from '@cloudphone/subgraph-kit';

@InputType({ description: 'Resources of a new cloud phone.' })
export class DeviceSpecInput extends DeviceSpecFields {}

@InputType({ description: 'A new cloud phone. Give a template, or a provider, spec and Android version.' })
export class CreateDeviceInput {
  @Field(() => ID, { description: 'Owner of the device.' })
  @IsUUID('all', { message: 'userId must be a valid ID' })
  userId: string;

  @Field({ description: 'Name, 1 to 64 characters.' })
  @Length(1, 64)
  name: string;

  @Field(() => ID, { nullable: true, description: 'Template whose provider, spec and image the device takes.' })
  @IsOptional()
  @IsUUID('all', { message: 'templateId must be a valid ID' })
  templateId?: string | null;

  @Field(() => DeviceProvider, { nullable: true, description: 'Provider, when no template is given.' })
  @IsOptional()
  @IsEnum(DeviceProvider)
  provider?: DeviceProvider | null;

  @Field(() => DeviceSpecInput, { nullable: true, description: 'Resources, when no template is given.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => DeviceSpecInput)
  spec?: DeviceSpecInput | null;

  @Field(() => String, { nullable: true, description: 'Android version such as "13", when no template is given; default: the devices.defaultAndroidVersion setting.' })
  @IsOptional()
  @Matches(/^\d{1,2}(\.\d{1,2})?$/, { message: 'androidVersion must look like "13" or "12.1"' })
  androidVersion?: string | null;

  @Field(() => PlacementInput, { nullable: true, description: 'Where the device may run: strategy, node labels, region, zone.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PlacementInput)
  placement?: PlacementInput | null;
}

/** Flat, with the spec's fields and limits (DeviceSpecInput): billing passes a plan's resources as they are. */
@InputType({ description: 'What a purchase asks the devices subgraph to create (service to service).' })
@Directive('@inaccessible')
export class OrderedDeviceInput extends DeviceSpecInput {
  @Field(() => ID, { description: "The device's id, chosen by billing: a retry with the same id finds the device the first call created." })
  @IsUUID('all', { message: 'id must be a valid ID' })
  id: string;

  @Field(() => ID, { description: 'Owner of the device: the user who bought it.' })
  @IsUUID('all', { message: 'userId must be a valid ID' })
  userId: string;

  @Field(() => ID, { description: 'The order that paid for the device; for logs and audit only.' })
  @IsUUID('all', { message: 'orderId must be a valid ID' })
  orderId: string;

  @Field({ description: 'Name, 1 to 64 characters.' })
  @Length(1, 64)
  name: string;
}

@InputType({ description: 'Changes to a device; omitted fields stay as they are.' })
export class UpdateDeviceInput {
  @Field(() => String, { nullable: true, description: 'New name, 1 to 64 characters.' })
  @IsOptional()
  @Length(1, 64)
  name?: string | null;
}
