import type { Database } from '@cloudphone/db';
import { Injectable } from '@nestjs/common';
import { auditLog } from '../database/schema.js';

export interface AuditEntry {
  actorUserId: string | null;
  action: string;
  resource: string;
  resourceId: string | null;
  summary?: Record<string, string | number | boolean | null>;
  requestId: string;
}

/** Writes audit entries inside the caller's transaction: an entry exists if and only if its change was committed. */
@Injectable()
export class AuditRepository {
  async record(tx: Database, entry: AuditEntry): Promise<void> {
    await tx.insert(auditLog).values({ ...entry, summary: entry.summary ?? {} });
  }
}
