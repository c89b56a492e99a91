import { type RequestContext, ConnectionArgs, isId, parseId } from '@cloudphone/subgraph-kit';
import { Args, Context, Directive, ID, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { NodesService } from '../nodes/nodes.service.js';
import { User } from '../users/models/user.model.js';
import { CreateDeviceInput, OrderedDeviceInput, UpdateDeviceInput } from './models/device.inputs.js';
import { Device, DeviceConnection, DeviceFilter, DeviceOrder, DeviceStatus, Node, type UserReference } from './models/device.model.js';
import { DevicesService } from './devices.service.js';
import { DeviceOperationResult } from './models/device-operation-result.model.js';

@Resolver(() => Device)
export class DevicesResolver {
  constructor(
    private readonly deviceService: DevicesService,
    private readonly nodeService: NodesService,
  ) {}

  @Query(() => DeviceConnection, { description: 'Devices, filtered and sorted (oldest first by default); filter and sort by owner use local copies.' })
  devices(
    @Args() args: ConnectionArgs,
    @Args('filter', { type: () => DeviceFilter, nullable: true }) filter: DeviceFilter | null | undefined,
    @Args('orderBy', { type: () => DeviceOrder, nullable: true }) orderBy: DeviceOrder | null | undefined,
    @Context() context: RequestContext,
  ) {
    return this.deviceService.list(context, args, filter, orderBy);
  }

  @Query(() => Device, { nullable: true, description: 'One device by id; null when there is none.' })
  device(@Args('id', { type: () => ID }) id: string, @Context() context: RequestContext) {
    return this.deviceService.byId(context, parseId(id));
  }

  @Mutation(() => Device, { description: 'Creates a device for a user; it starts in CREATING.' })
  createDevice(@Args('input') input: CreateDeviceInput, @Context() context: RequestContext) {
    return this.deviceService.create(context, input);
  }

  // Service to service: billing's purchase saga. Not part of the public API.
  @Mutation(() => Device, { description: 'Service-only (billing): creates the device a purchase paid for, or returns it if this id exists already.' })
  @Directive('@inaccessible')
  createOrderedDevice(@Args('input', { description: 'The device, under the id billing chose.' }) input: OrderedDeviceInput, @Context() context: RequestContext) {
    return this.deviceService.createOrdered(context, input);
  }

  @Mutation(() => Device, {
    nullable: true,
    description: 'Service-only (billing): undoes createOrderedDevice: soft-deletes the device (null if it was never created) and gives back any capacity reserved for the id.',
  })
  @Directive('@inaccessible')
  deleteOrderedDevice(@Args('id', { type: () => ID, description: 'Id of the device, as given to createOrderedDevice.' }) id: string, @Context() context: RequestContext) {
    return this.deviceService.deleteOrdered(context, parseId(id));
  }

  @Mutation(() => Device, { description: 'Changes a device.' })
  updateDevice(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateDeviceInput, @Context() context: RequestContext) {
    return this.deviceService.update(context, parseId(id), input);
  }

  @Mutation(() => Device, { description: 'Starts a STOPPED device, or recovers one in ERROR: it becomes RUNNING.' })
  startDevice(@Args('id', { type: () => ID, description: 'Id of the device.' }) id: string, @Context() context: RequestContext) {
    return this.deviceService.changeStatus(context, parseId(id), DeviceStatus.RUNNING);
  }

  @Mutation(() => Device, { description: 'Stops a RUNNING device.' })
  stopDevice(@Args('id', { type: () => ID, description: 'Id of the device.' }) id: string, @Context() context: RequestContext) {
    return this.deviceService.changeStatus(context, parseId(id), DeviceStatus.STOPPED);
  }

  @Mutation(() => Device, { description: 'Deletes a device (soft: it stays, DELETED, for history and billing).' })
  deleteDevice(@Args('id', { type: () => ID, description: 'Id of the device.' }) id: string, @Context() context: RequestContext) {
    return this.deviceService.changeStatus(context, parseId(id), DeviceStatus.DELETED);
  }

  @Mutation(() => Device, { description: 'Restarts a RUNNING device (stop, then start) or recovers one in ERROR.' })
  restartDevice(@Args('id', { type: () => ID, description: 'Id of the device.' }) id: string, @Context() context: RequestContext) {
    return this.deviceService.restart(context, parseId(id));
  }

  @Mutation(() => [DeviceOperationResult], { description: 'Starts up to 100 devices; each result says what happened to its device.' })
  startDevices(@Args('ids', { type: () => [ID], description: 'Ids of the devices.' }) ids: string[], @Context() context: RequestContext) {
    return this.deviceService.forEach(ids, (id) => this.deviceService.changeStatus(context, id, DeviceStatus.RUNNING));
  }

  @Mutation(() => [DeviceOperationResult], { description: 'Stops up to 100 devices; each result says what happened to its device.' })
  stopDevices(@Args('ids', { type: () => [ID], description: 'Ids of the devices.' }) ids: string[], @Context() context: RequestContext) {
    return this.deviceService.forEach(ids, (id) => this.deviceService.changeStatus(context, id, DeviceStatus.STOPPED));
  }

  @Mutation(() => [DeviceOperationResult], { description: 'Restarts up to 100 devices; each result says what happened to its device.' })
  restartDevices(@Args('ids', { type: () => [ID], description: 'Ids of the devices.' }) ids: string[], @Context() context: RequestContext) {
    return this.deviceService.forEach(ids, (id) => this.deviceService.restart(context, id));
  }

  @Mutation(() => [DeviceOperationResult], { description: 'Deletes (soft) up to 100 devices; each result says what happened to its device.' })
  deleteDevices(@Args('ids', { type: () => [ID], description: 'Ids of the devices.' }) ids: string[], @Context() context: RequestContext) {
    return this.deviceService.forEach(ids, (id) => this.deviceService.changeStatus(context, id, DeviceStatus.DELETED));
  }

  @ResolveField(() => User, { description: 'The owner.' })
  user(@Parent() device: Device): UserReference {
    return { __typename: 'User', id: device.userId };
  }

  @ResolveField(() => Node, { nullable: true, description: 'The host the device runs on, once placed.' })
  node(@Parent() device: Device, @Context() context: RequestContext) {
    return device.nodeId === null ? null : this.nodeService.byId(context, device.nodeId);
  }

  @ResolveReference()
  resolveReference(@Parent() reference: { id: unknown }, @Context() context: RequestContext) {
    return isId(reference.id) ? this.deviceService.byId(context, reference.id.toLowerCase()) : null;
  }
}
