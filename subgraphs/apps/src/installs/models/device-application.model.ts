import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Application } from '../../applications/models/application.model.js';
import { Device } from '../../devices/models/device.model.js';

export enum InstallStatus {
  PENDING = 'PENDING',
  INSTALLING = 'INSTALLING',
  INSTALLED = 'INSTALLED',
  FAILED = 'FAILED',
  UNINSTALLING = 'UNINSTALLING',
  UNINSTALLED = 'UNINSTALLED',
}
registerEnumType(InstallStatus, {
  name: 'InstallStatus',
  description: 'Progress of installing an application on a device, or of removing it.',
  valuesMap: {
    PENDING: { description: 'Requested; the device has not started yet.' },
    INSTALLING: { description: 'The device is installing the application.' },
    INSTALLED: { description: 'Installed and usable on the device.' },
    FAILED: { description: 'The install failed; see `error`. It may be requested again.' },
    UNINSTALLING: { description: 'The device is removing the application.' },
    UNINSTALLED: { description: 'Removed from the device. It may be installed again.' },
  },
});

@ObjectType({ description: 'An application installed, or being installed, on a device.' })
@Directive('@key(fields: "id")')
export class DeviceApplication {
  @Field(() => ID, { description: 'Unique install id.' })
  id: string;

  deviceId: string;

  applicationId: string;

  @Field(() => InstallStatus, { description: 'Progress of the install.' })
  status: InstallStatus;

  @Field(() => String, { nullable: true, description: 'Why the install failed; null unless FAILED.' })
  error: string | null;

  @Field({ description: 'When the install was (last) requested.' })
  requestedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the install completed; null until INSTALLED.' })
  installedAt: Date | null;

  @Field(() => Application, { description: 'The installed application version.' })
  application?: Application;

  @Field(() => Device, { description: 'The device the application is on.' })
  device?: Device;
}
