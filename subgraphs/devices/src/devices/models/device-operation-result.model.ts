import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Device } from './device.model.js';

@ObjectType({ description: 'Why an action on one device of a batch did not happen.' })
export class DeviceOperationError {
  @Field({ description: 'Error code, as in `extensions.code` (DEVICE_NOT_FOUND, BAD_USER_INPUT, ...).' })
  code: string;

  @Field({ description: 'What went wrong.' })
  message: string;
}

@ObjectType({ description: 'What a batch action did to one device.' })
export class DeviceOperationResult {
  @Field(() => ID, { description: 'The device id given.' })
  id: string;

  @Field(() => Device, { nullable: true, description: 'The device after the action; null when it failed.' })
  device: Device | null;

  @Field(() => DeviceOperationError, { nullable: true, description: 'Why it failed; null when it succeeded.' })
  error: DeviceOperationError | null;
}
