import { type RequestContext, SubgraphClient } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { DEVICES_SUBGRAPH } from './peer-tokens.js';

/** What billing reads of a device from the devices subgraph. */
export interface RemoteDevice {
  id: string;
  userId: string;
  name: string;
  version: number;
}

const DEVICE_SELECTION = 'id userId name version';

/** A device's lifecycle status, as the devices subgraph names it. */
export type DeviceLifecycle = 'CREATING' | 'RUNNING' | 'STOPPED' | 'ERROR' | 'DELETED';

/** What metering needs of a device to price it: its provider and spec (fixed when the device is created). */
export interface DeviceSpecs {
  provider: string;
  spec: { cpuCores: number; memoryMb: number; storageGb: number };
}

/** Where metering learns a device's provider and spec; null when the device does not exist (a fake in tests). */
export interface DeviceSpecsSource {
  specsOf(deviceId: string, requestId: string): Promise<DeviceSpecs | null>;
}

/** What a purchase asks the devices subgraph to create. */
export interface OrderedDevice {
  id: string;
  userId: string;
  orderId: string;
  name: string;
  cpuCores: number;
  memoryMb: number;
  storageGb: number;
}

@Injectable()
export class DevicesClient implements DeviceSpecsSource {
  constructor(@Inject(DEVICES_SUBGRAPH) private readonly client: SubgraphClient) {}

  /** The device as the devices subgraph has it now; null when there is none. Batched per request. */
  findById(context: RequestContext, id: string): Promise<RemoteDevice | null> {
    return context.loaders
      .get<string, RemoteDevice | null>('DevicesSubgraph.Device', (ids) =>
        this.client.fetchEntities<RemoteDevice>('Device', ids, DEVICE_SELECTION, context.requestId),
      )
      .load(id);
  }

  /** A device's status now, asked as billing itself (sagas run outside any request); null when there is no such device. */
  async statusOf(id: string, requestId: string): Promise<DeviceLifecycle | null> {
    const [device] = await this.client.fetchEntities<{ id: string; status: DeviceLifecycle }>('Device', [id], 'id status', requestId);
    return device?.status ?? null;
  }

  /** A device's provider and spec, asked as billing itself; null when there is no such device. */
  async specsOf(deviceId: string, requestId: string): Promise<DeviceSpecs | null> {
    const [device] = await this.client.fetchEntities<DeviceSpecs>('Device', [deviceId], 'provider spec { cpuCores memoryMb storageGb }', requestId);
    return device ?? null;
  }

  /**
   * Creates the device a purchase paid for, under an id billing chose, or
   * finds it if a previous attempt did: safe to repeat after a crash.
   * Refusals (QUOTA_EXCEEDED, INSUFFICIENT_CAPACITY...) keep their code;
   * devices unreachable is SERVICE_UNAVAILABLE.
   */
  async createOrdered(device: OrderedDevice, requestId: string): Promise<void> {
    await this.client.execute(
      'mutation CreateOrderedDevice($input: OrderedDeviceInput!) { createOrderedDevice(input: $input) { id } }',
      { input: device },
      requestId,
      { idempotent: true },
    );
  }

  /** Undoes createOrdered: deletes the device if it exists and gives back capacity held for its id; safe to repeat. False when the device was never created. */
  async deleteOrdered(id: string, requestId: string): Promise<boolean> {
    const answer = await this.client.execute<{ deleteOrderedDevice: { id: string } | null }>(
      'mutation DeleteOrderedDevice($id: ID!) { deleteOrderedDevice(id: $id) { id } }',
      { id },
      requestId,
      { idempotent: true },
    );
    return answer.deleteOrderedDevice !== null;
  }
}
