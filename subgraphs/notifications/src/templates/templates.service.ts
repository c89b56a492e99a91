import { cursorOf, type Database } from '@cloudphone/db';
import { AppError } from '@cloudphone/errors';
import { assertAnyAccess, forbidden } from '@cloudphone/identity';
import { type ConnectionArgs, type ConnectionShape, type RequestContext, byKeys, toConnection, toPageRequest } from '@cloudphone/subgraph-kit';
import { Injectable } from '@nestjs/common';
import type { NotificationTemplateRow } from '../database/schema.js';
import type { NotificationChannel, NotificationType } from '../notifications/models/notification-kinds.js';
import type { NotificationTemplate, UpsertNotificationTemplateInput } from './models/notification-template.model.js';
import { checkTemplate } from './render.js';
import { TEMPLATE_SORT, TemplatesRepository } from './templates.repository.js';

export function toNotificationTemplate(row: NotificationTemplateRow): NotificationTemplate {
  return {
    id: row.id,
    type: row.type as NotificationType,
    channel: row.channel as NotificationChannel,
    titleTemplate: row.titleTemplate,
    bodyTemplate: row.bodyTemplate,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Rejects a template that is not plain text with well-formed {{name}} placeholders. */
function assertTemplate(template: string, field: string): void {
  const { problems } = checkTemplate(template);
  if (problems.length > 0) throw new AppError('BAD_USER_INPUT', `${field}: ${problems.join('; ')}`, { details: { field } });
}

/**
 * Templates hold no one's data but shape everyone's notifications: reading
 * them needs `notification:read` (any scope), changing them `notification:write`
 * over ALL notifications (a SUPER_ADMIN's, or a service's), not a USER's SELF one.
 */
@Injectable()
export class TemplatesService {
  constructor(private readonly repository: TemplatesRepository) {}

  async byId(context: RequestContext, id: string): Promise<NotificationTemplate | null> {
    assertAnyAccess(context.principal, 'notification', 'read');
    return context.loaders
      .get<string, NotificationTemplate | null>('NotificationTemplate.byId', async (ids) =>
        byKeys(ids, (await this.repository.findByIds(ids)).map(toNotificationTemplate), (template) => template.id),
      )
      .load(id);
  }

  async list(context: RequestContext, args: ConnectionArgs): Promise<ConnectionShape<NotificationTemplate>> {
    assertAnyAccess(context.principal, 'notification', 'read');
    const request = toPageRequest(args);
    const page = await this.repository.findPage(request);
    return toConnection(page, request, (row) => cursorOf(TEMPLATE_SORT, row.createdAt, row.id), toNotificationTemplate);
  }

  async upsert(context: RequestContext, input: UpsertNotificationTemplateInput): Promise<NotificationTemplate> {
    if (assertAnyAccess(context.principal, 'notification', 'write').kind !== 'ALL') throw forbidden('notification template');
    assertTemplate(input.titleTemplate, 'titleTemplate');
    assertTemplate(input.bodyTemplate, 'bodyTemplate');
    const row = await this.repository.upsert({ type: input.type, channel: input.channel, titleTemplate: input.titleTemplate, bodyTemplate: input.bodyTemplate });
    return toNotificationTemplate(row);
  }

  /** The templates of a type on every channel that has one, read in the caller's transaction. */
  async ofType(tx: Database, type: NotificationType): Promise<NotificationTemplate[]> {
    return (await this.repository.findOfType(tx, type)).map(toNotificationTemplate);
  }
}
