import { Field, ObjectType } from '@nestjs/graphql';
import { Device, DeviceStatus } from './device.model.js';

@ObjectType({ description: 'A change of a device status, as it happened.' })
export class DeviceStatusEvent {
  @Field(() => Device, { description: 'The device, as it is after the change.' })
  device: Device;

  @Field(() => DeviceStatus, { description: 'The status before the change.' })
  previousStatus: DeviceStatus;

  @Field(() => DeviceStatus, { description: 'The status after the change.' })
  status: DeviceStatus;

  @Field({ description: 'When the status changed.' })
  occurredAt: Date;
}
