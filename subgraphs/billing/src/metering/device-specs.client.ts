import type { SubgraphClient } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { DEVICES_SUBGRAPH } from '../peers/peer-tokens.js';
import type { RuleSpec } from '../billing-rules/rule-match.js';

/** What metering needs of a device to price it: its provider and spec (fixed when the device is created). */
export interface DeviceSpecs {
  provider: string;
  spec: RuleSpec;
}

/** Where metering learns a device's provider and spec; null when the device does not exist. */
export interface DeviceSpecsSource {
  specsOf(deviceId: string, requestId: string): Promise<DeviceSpecs | null>;
}

/** Asks the devices subgraph (as billing, through the guarded client). */
@Injectable()
export class DeviceSpecsClient implements DeviceSpecsSource {
  constructor(@Inject(DEVICES_SUBGRAPH) private readonly client: SubgraphClient) {}

  async specsOf(deviceId: string, requestId: string): Promise<DeviceSpecs | null> {
    const [device] = await this.client.fetchEntities<DeviceSpecs>('Device', [deviceId], 'provider spec { cpuCores memoryMb storageGb }', requestId);
    return device ?? null;
  }
}
