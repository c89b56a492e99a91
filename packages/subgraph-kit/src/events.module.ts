import { ChangeAnnouncer, type DataChangeChannel } from '@cloudphone/data-changes';
import type { Database, SubgraphDatabase } from '@cloudphone/db';
import { type AnyEventEnvelope, type EventTransport, OutboxRelay, type RoutingKey, type Subscription, applyOnce, secondsSinceOccurred } from '@cloudphone/events';
import { ServiceMetrics, consumerSpan } from '@cloudphone/observability';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DATABASE } from './database.module.js';

/** DI tokens: the transport the host chose, the subgraph's name, and where it announces its data changes. */
export const EVENT_TRANSPORT = Symbol('EVENT_TRANSPORT');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
export const DATA_CHANGES = Symbol('DATA_CHANGES');

/** Tells the gateways' subgraph cache that this subgraph's data changed: one announcer per subgraph app. */
@Injectable()
export class DataChangeAnnouncer implements OnApplicationShutdown {
  private readonly announcer: ChangeAnnouncer;

  constructor(@Inject(DATA_CHANGES) channel: DataChangeChannel, @Inject(SERVICE_NAME) service: string) {
    const logger = new Logger(`${service}-data-changes`);
    this.announcer = new ChangeAnnouncer(channel, service, (error) => logger.warn(`announcing a data change failed, will retry: ${error.message}`));
  }

  changed(): void {
    this.announcer.changed();
  }

  onApplicationShutdown(): void {
    this.announcer.stop();
  }
}

/** Publishes this subgraph's outbox for as long as the app runs, announcing each change it sees. */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  readonly relay: OutboxRelay;
  private readonly enabled: boolean;

  constructor(
    @Inject(DATABASE) database: SubgraphDatabase,
    @Inject(EVENT_TRANSPORT) transport: EventTransport,
    @Inject(SERVICE_NAME) service: string,
    changes: DataChangeAnnouncer,
  ) {
    // Printing the schema opens no database: nothing to relay.
    this.enabled = database.kind !== 'none';
    this.logger = new Logger(`${service}-outbox`);
    this.relay = new OutboxRelay(database, transport, {
      service,
      onError: (error) => this.logger.warn(`publishing failed, will retry: ${(error as Error).message}`),
      onDataChanged: () => changes.changed(),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.enabled) await this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.enabled) await this.relay.stop();
  }
}

export interface InboxHandler {
  /** The consuming subgraph: one durable queue per consumer. */
  consumer: string;
  keys: readonly RoutingKey[];
  /** The effect, run in the inbox transaction: at most once per event. */
  apply(envelope: AnyEventEnvelope, tx: Database): Promise<void>;
  /**
   * Work that must follow the commit (e.g. calling an outside provider), run
   * on every delivery, the first and any redelivery; throwing makes the
   * transport retry the delivery. It must be idempotent.
   */
  afterApply?(envelope: AnyEventEnvelope): Promise<void>;
}

/**
 * Base of a subgraph's event consumer: subscribes at bootstrap, applies each
 * event once, stops at shutdown; reports each applied event's lag and its
 * dead-letter queue to the subgraph's metrics.
 */
export abstract class InboxConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription: Subscription | undefined;
  // Injected on the properties: the subgraphs' consumers pass only what they use to the constructor.
  @Inject(ServiceMetrics) private readonly metrics: ServiceMetrics | undefined;
  @Inject(DataChangeAnnouncer) private readonly changes: DataChangeAnnouncer | undefined;

  protected constructor(
    private readonly database: SubgraphDatabase,
    private readonly transport: EventTransport,
    private readonly handler: InboxHandler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.database.kind === 'none') return;
    const { consumer } = this.handler;
    this.metrics?.watchDeadLetters(consumer, () => this.transport.deadLetterCount(consumer));
    this.subscription = await this.transport.consume({ consumer, keys: this.handler.keys }, (envelope) => {
      const receivedAt = Date.now();
      // The span continues the trace of the request that raised the event (its `traceparent`).
      const attributes = { 'messaging.operation.type': 'process', 'messaging.destination.name': envelope.type, 'messaging.consumer.group.name': consumer, 'messaging.message.id': envelope.id };
      return consumerSpan(`process ${envelope.type}`, envelope.metadata.traceparent, attributes, async () => {
        const outcome = await applyOnce(this.database, consumer, envelope, (tx) => this.handler.apply(envelope, tx));
        if (outcome === 'applied') {
          // The effect is committed: gateways must not serve what was read before it.
          this.changes?.changed();
          this.metrics?.observeEventLag(envelope.type, secondsSinceOccurred(envelope, receivedAt));
        }
        if (this.handler.afterApply) {
          await this.handler.afterApply(envelope);
          // What follows the commit may write too (a notification marked sent, a device provisioned).
          this.changes?.changed();
        }
      });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.cancel();
  }
}


