import { registerEnumType } from '@nestjs/graphql';

export enum NotificationType {
  WELCOME = 'WELCOME',
  DEVICE_ERROR = 'DEVICE_ERROR',
  ORDER_PAID = 'ORDER_PAID',
  PAYMENT_FAILED = 'PAYMENT_FAILED',
  BALANCE_LOW = 'BALANCE_LOW',
  QUOTA_EXCEEDED = 'QUOTA_EXCEEDED',
  INSTALL_FAILED = 'INSTALL_FAILED',
}
registerEnumType(NotificationType, {
  name: 'NotificationType',
  description: 'What a notification is about.',
  valuesMap: {
    WELCOME: { description: 'A new account was created.' },
    DEVICE_ERROR: { description: 'A cloud phone went into the ERROR state.' },
    ORDER_PAID: { description: 'An order was paid.' },
    PAYMENT_FAILED: { description: 'A payment did not go through.' },
    BALANCE_LOW: { description: 'The balance fell below its threshold.' },
    QUOTA_EXCEEDED: { description: 'A request went over a quota.' },
    INSTALL_FAILED: { description: 'An application could not be installed on a device.' },
  },
});

export enum NotificationChannel {
  IN_APP = 'IN_APP',
  EMAIL = 'EMAIL',
  SMS = 'SMS',
  WEBSOCKET = 'WEBSOCKET',
}
registerEnumType(NotificationChannel, {
  name: 'NotificationChannel',
  description: 'How a notification reaches its user.',
  valuesMap: {
    IN_APP: { description: 'Listed in the application (User.notifications).' },
    EMAIL: { description: 'Sent by e-mail.' },
    SMS: { description: 'Sent by text message.' },
    WEBSOCKET: { description: 'Pushed to open sessions; listed in the application too.' },
  },
});

export enum NotificationSeverity {
  INFO = 'INFO',
  WARNING = 'WARNING',
  CRITICAL = 'CRITICAL',
}
registerEnumType(NotificationSeverity, {
  name: 'NotificationSeverity',
  description: 'How urgent a notification is; CRITICAL ones ignore quiet hours.',
  valuesMap: {
    INFO: { description: 'For information.' },
    WARNING: { description: 'Needs attention soon.' },
    CRITICAL: { description: 'Needs attention now; delivered on every chosen channel even in quiet hours.' },
  },
});

/** Channels delivered by storing the row: what `User.notifications` lists and counts. */
export const LISTED_CHANNELS: readonly NotificationChannel[] = [NotificationChannel.IN_APP, NotificationChannel.WEBSOCKET];

/** Channels delivered through a NotificationProvider, after the row is committed. */
export const SENT_CHANNELS: readonly NotificationChannel[] = [NotificationChannel.EMAIL, NotificationChannel.SMS];

/** Channels of a user without a preference for a type. */
export const DEFAULT_CHANNELS: readonly NotificationChannel[] = [NotificationChannel.IN_APP, NotificationChannel.EMAIL];
