import type { DeviceRow } from '../database/schema.js';

export type DeviceStatusValue = DeviceRow['status'];

/**
 * The device lifecycle: CREATING -> RUNNING | ERROR; RUNNING <-> STOPPED;
 * RUNNING -> ERROR (health check); ERROR -> RUNNING (recovery); any -> DELETED
 * (soft). DELETED is final.
 */
const TRANSITIONS: Readonly<Record<DeviceStatusValue, readonly DeviceStatusValue[]>> = {
  CREATING: ['RUNNING', 'ERROR', 'DELETED'],
  RUNNING: ['STOPPED', 'ERROR', 'DELETED'],
  STOPPED: ['RUNNING', 'DELETED'],
  ERROR: ['RUNNING', 'DELETED'],
  DELETED: [],
};

export function canTransition(from: DeviceStatusValue, to: DeviceStatusValue): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The states a device may be in to move to `to`. */
export function statesBefore(to: DeviceStatusValue): DeviceStatusValue[] {
  return (Object.keys(TRANSITIONS) as DeviceStatusValue[]).filter((from) => canTransition(from, to));
}
