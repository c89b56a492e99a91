import { AppError, badUserInput } from '@cloudphone/errors';
import { ApplicationStatus } from './models/application.model.js';

/** A change of an application's state: allowed only from `from`. */
export interface ApplicationStatusChange {
  from: readonly ApplicationStatus[];
  to: ApplicationStatus;
  reviewReason?: string | null;
}

/** Only a submitted application can be reviewed; a rejection must say why. */
export function reviewChange(approve: boolean, reason: string | null | undefined): ApplicationStatusChange {
  const trimmed = reason?.trim() ?? '';
  if (!approve && trimmed === '') throw badUserInput('A reason is required when rejecting an application', 'reason');
  return {
    from: [ApplicationStatus.PENDING_REVIEW],
    to: approve ? ApplicationStatus.APPROVED : ApplicationStatus.REJECTED,
    reviewReason: trimmed === '' ? null : trimmed,
  };
}

/** Offering needs an approved (or withdrawn) application; withdrawing needs an offered one. */
export function availabilityChange(available: boolean): ApplicationStatusChange {
  return available
    ? { from: [ApplicationStatus.APPROVED, ApplicationStatus.UNAVAILABLE], to: ApplicationStatus.AVAILABLE }
    : { from: [ApplicationStatus.AVAILABLE], to: ApplicationStatus.UNAVAILABLE };
}

/** The error for a change that did not apply to an application in `current`. */
export function refusedChange(change: ApplicationStatusChange, current: ApplicationStatus): AppError {
  return new AppError('BAD_USER_INPUT', `An application in ${current} cannot become ${change.to} (it must be ${change.from.join(' or ')})`, {
    details: { field: 'status', status: current },
  });
}
