import { type SubgraphProcessSettings, parseConfig, readSubgraphProcessSettings, z } from '@cloudphone/config';

const DEFAULT_SINK_FILE = '.data/notifications-sink.jsonl';

const deliverySchema = z.object({
  /** Development e-mail/SMS provider: one JSON line per message is appended here. */
  NOTIFICATIONS_SINK_FILE: z.string().trim().min(1).default(DEFAULT_SINK_FILE),
});

/** Where e-mail and SMS go; the only part of the configuration the root module needs. */
export interface NotificationsDeliveryConfig {
  sinkFile: string;
}

export type NotificationsConfig = SubgraphProcessSettings & NotificationsDeliveryConfig;

/** The notifications subgraph's reader of the environment (it calls no other subgraph); fails at boot on a bad value. */
export function loadNotificationsConfig(env: Record<string, string | undefined> = process.env): NotificationsConfig {
  return { ...readSubgraphProcessSettings('notifications', 4005, {}, env), ...loadNotificationsDeliveryConfig(env) };
}

/**
 * Only the delivery settings: read when the root module is built, which also
 * happens in hosts (the embedded stack, schema printing) that configure the
 * database, port and broker themselves.
 */
export function loadNotificationsDeliveryConfig(env: Record<string, string | undefined> = process.env): NotificationsDeliveryConfig {
  const parsed = parseConfig('notifications subgraph', deliverySchema, env);
  return { sinkFile: parsed.NOTIFICATIONS_SINK_FILE };
}
