import { AppError } from '@cloudphone/errors';
import { InstallStatus } from './models/device-application.model.js';

/**
 * Every state an install may move to from each state; the device reports
 * progress along these. A device may answer a request with its final result
 * straight away (app.install.completed / .failed), hence PENDING -> INSTALLED | FAILED.
 */
export const INSTALL_TRANSITIONS: Readonly<Record<InstallStatus, readonly InstallStatus[]>> = {
  [InstallStatus.PENDING]: [InstallStatus.INSTALLING, InstallStatus.INSTALLED, InstallStatus.FAILED],
  [InstallStatus.INSTALLING]: [InstallStatus.INSTALLED, InstallStatus.FAILED],
  [InstallStatus.INSTALLED]: [InstallStatus.UNINSTALLING],
  [InstallStatus.FAILED]: [],
  [InstallStatus.UNINSTALLING]: [InstallStatus.UNINSTALLED],
  [InstallStatus.UNINSTALLED]: [],
};

/** Finished installs that a new install request starts over (back to PENDING). */
export const REINSTALLABLE_STATUSES: readonly InstallStatus[] = [InstallStatus.FAILED, InstallStatus.UNINSTALLED];

export function canTransition(from: InstallStatus, to: InstallStatus): boolean {
  return INSTALL_TRANSITIONS[from].includes(to);
}

export function assertInstallTransition(from: InstallStatus, to: InstallStatus): void {
  if (canTransition(from, to)) return;
  const allowed = INSTALL_TRANSITIONS[from];
  const hint = allowed.length === 0 ? 'it is final' : `it can only become ${allowed.join(' or ')}`;
  throw new AppError('BAD_USER_INPUT', `An install in ${from} cannot become ${to} (${hint})`, { details: { field: 'status', status: from } });
}
