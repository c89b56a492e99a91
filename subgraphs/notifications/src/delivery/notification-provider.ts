/** DI token of the provider that sends EMAIL and SMS notifications. */
export const NOTIFICATION_PROVIDER = Symbol('NOTIFICATION_PROVIDER');

/** One e-mail or text message, as plain text. */
export interface OutgoingMessage {
  /**
   * The stored notification it delivers. A resend after a crash between the
   * send and its bookkeeping carries the same id: a provider with idempotency
   * keys deduplicates on it.
   */
  notificationId: string;
  userId: string;
  channel: 'EMAIL' | 'SMS';
  type: string;
  severity: string;
  title: string;
  body: string;
  sourceEventId: string | null;
  createdAt: string;
}

/**
 * Where EMAIL and SMS notifications go: a real mail/SMS gateway in
 * production, a file in development. `send` resolves once the provider has
 * accepted the message and throws when it has not (the event is then retried).
 */
export interface NotificationProvider {
  send(message: OutgoingMessage): Promise<void>;
}
