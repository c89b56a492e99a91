import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { NotificationProvider, OutgoingMessage } from './notification-provider.js';

/** The development provider: appends one JSON line per message to a file (NOTIFICATIONS_SINK_FILE). */
export class FileSinkProvider implements NotificationProvider {
  private ready: Promise<unknown> | undefined;

  constructor(readonly file: string) {}

  async send(message: OutgoingMessage): Promise<void> {
    this.ready ??= mkdir(path.dirname(path.resolve(this.file)), { recursive: true });
    await this.ready;
    await appendFile(this.file, `${JSON.stringify({ ...message, sentAt: new Date().toISOString() })}\n`, 'utf8');
  }
}
