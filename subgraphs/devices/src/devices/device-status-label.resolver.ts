import type { RequestContext } from '@cloudphone/subgraph-kit';
import { SystemConfigReader } from '@cloudphone/system-config';
import { dictionaryLabel } from '@cloudphone/system-config/nest';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Device } from './models/device.model.js';

@Resolver(() => Device)
export class DeviceStatusLabelResolver {
  constructor(private readonly config: SystemConfigReader) {}

  /** One dictionary read per request however many devices it lists, from this process's copy when warm. */
  @ResolveField('statusLabel', () => String, { description: 'The status as clients show it: its label in the DEVICE_STATUS dictionary (system configuration), or the status itself when the dictionary has none.' })
  statusLabel(@Parent() device: Device, @Context() context: RequestContext): Promise<string> {
    return dictionaryLabel(context, this.config, 'DEVICE_STATUS', device.status);
  }
}
