import { Connection } from '@cloudphone/subgraph-kit';
import { Directive, Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, Length, Matches, ValidateNested } from 'class-validator';
import { DeviceProvider, DeviceSpec } from '../../devices/models/device.model.js';
import { DeviceSpecInput } from '../../devices/models/device.inputs.js';

@ObjectType({ description: 'A preset of provider, resources and system image for new devices.' })
@Directive('@key(fields: "id")')
export class DeviceTemplate {
  @Field(() => ID, { description: 'Unique template id.' })
  id: string;

  @Field({ description: 'Name, unique.' })
  name: string;

  @Field({ description: 'What the template is for.' })
  description: string;

  @Field(() => DeviceProvider, { description: 'Provider of devices made from it.' })
  provider: DeviceProvider;

  @Field(() => DeviceSpec, { description: 'Resources of devices made from it.' })
  spec: DeviceSpec;

  @Field({ description: 'Android version.' })
  androidVersion: string;

  @Field({ description: 'System image reference.' })
  image: string;

  @Field({ description: 'When the template was created.' })
  createdAt: Date;
}

@ObjectType({ description: 'A page of device templates.' })
export class DeviceTemplateConnection extends Connection(DeviceTemplate, 'DeviceTemplate') {}

@InputType({ description: 'A new device template.' })
export class CreateDeviceTemplateInput {
  @Field({ description: 'Name, unique, 1 to 100 characters.' })
  @Length(1, 100)
  name: string;

  @Field({ description: 'What the template is for.', defaultValue: '' })
  @Length(0, 500)
  description: string;

  @Field(() => DeviceProvider, { description: 'Provider.' })
  @IsEnum(DeviceProvider)
  provider: DeviceProvider;

  @Field(() => DeviceSpecInput, { description: 'Resources.' })
  @ValidateNested()
  @Type(() => DeviceSpecInput)
  spec: DeviceSpecInput;

  @Field({ description: 'Android version such as "13".' })
  @Matches(/^\d{1,2}(\.\d{1,2})?$/, { message: 'androidVersion must look like "13" or "12.1"' })
  androidVersion: string;

  @Field({ description: 'System image reference, e.g. "redroid/redroid:13.0.0-latest".' })
  @Length(1, 200)
  image: string;
}
