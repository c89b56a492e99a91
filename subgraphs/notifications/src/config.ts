import { optionalUrl, parseConfig, port, z } from '@cloudphone/config';

const DEFAULT_SINK_FILE = '.data/notifications-sink.jsonl';

const deliverySchema = z.object({
  /** Development e-mail/SMS provider: one JSON line per message is appended here. */
  NOTIFICATIONS_SINK_FILE: z.string().trim().min(1).default(DEFAULT_SINK_FILE),
});

const schema = deliverySchema.extend({
  NOTIFICATIONS_DATABASE_URL: optionalUrl,
  /** Root folder of embedded databases, used when no database URL is set. */
  DATA_DIR: z.string().default('.data/pglite'),
  NOTIFICATIONS_PORT: port(4005),
  HOST: z.string().default('0.0.0.0'),
  /** RabbitMQ; unset in a single-process embedded setup, where events travel in process. */
  AMQP_URL: optionalUrl,
});

/** Where e-mail and SMS go; the only part of the configuration the root module needs. */
export interface NotificationsDeliveryConfig {
  sinkFile: string;
}

export interface NotificationsConfig extends NotificationsDeliveryConfig {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  amqpUrl: string | undefined;
  /** The notifications subgraph calls no other subgraph. */
  peers: Record<string, never>;
}

/** The notifications subgraph's only reader of the environment; fails at boot on a bad value. */
export function loadNotificationsConfig(env: Record<string, string | undefined> = process.env): NotificationsConfig {
  const parsed = parseConfig('notifications subgraph', schema, env);
  return {
    databaseUrl: parsed.NOTIFICATIONS_DATABASE_URL,
    dataDir: parsed.DATA_DIR,
    port: parsed.NOTIFICATIONS_PORT,
    host: parsed.HOST,
    amqpUrl: parsed.AMQP_URL,
    sinkFile: parsed.NOTIFICATIONS_SINK_FILE,
    peers: {},
  };
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
