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

@Injectable()
export class DevicesClient {
  constructor(@Inject(DEVICES_SUBGRAPH) private readonly client: SubgraphClient) {}

  /** The device as the devices subgraph has it now; null when there is none. Batched per request. */
  findById(context: RequestContext, id: string): Promise<RemoteDevice | null> {
    return context.loaders
      .get<string, RemoteDevice | null>('DevicesSubgraph.Device', (ids) =>
        this.client.fetchEntities<RemoteDevice>('Device', ids, DEVICE_SELECTION, context.requestId),
      )
      .load(id);
  }
}
