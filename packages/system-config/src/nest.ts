import { randomUUID } from 'node:crypto';
import { SERVICE_NAME, ServiceCredentials, type RequestContext, type SharedCacheSettings, SubgraphClient } from '@cloudphone/subgraph-kit';
import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { DictionaryType } from './catalog.js';
import type { ConfigItem, ConfigItemKind, ConfigItemRef } from './items.js';
import { SystemConfigPublisher } from './publisher.js';
import { type ConfigOwner, SystemConfigReader } from './reader.js';
import { type SharedCache, openSharedCache } from './shared-cache.js';

/** DI token of the shared tiers (Redis, or the in-process bus) a module opened. */
export const SHARED_CACHE = Symbol('SHARED_CACHE');

/** The owner's service-only query (`@inaccessible`): it answers the items and fills Redis with them. */
export const SNAPSHOT_QUERY = `query SystemConfigSnapshot($settingKeys: [String!]!, $dictionaryTypes: [String!]!) {
  systemConfigSnapshot(settingKeys: $settingKeys, dictionaryTypes: $dictionaryTypes) { kind name version data }
}`;

/** The users subgraph as a reader's owner: misses go there with this service's own identity. */
export function ownerOverHttp(client: SubgraphClient): ConfigOwner {
  return {
    async load(items: readonly ConfigItemRef[]): Promise<ConfigItem[]> {
      const names = (kind: ConfigItemKind) => items.filter((item) => item.kind === kind).map((item) => item.name);
      const data = await client.execute<{ systemConfigSnapshot: ConfigItem[] }>(
        SNAPSHOT_QUERY,
        { settingKeys: names('setting'), dictionaryTypes: names('dictionary') },
        `system-config-${randomUUID()}`,
        { idempotent: true },
      );
      return data.systemConfigSnapshot;
    },
  };
}

/**
 * Reports a failure the cache survives (it falls back, or catches up later)
 * as a warning; the same one again within a minute is not repeated, so an
 * outage costs a line, not a line per request.
 */
function warning(service: string, what: string): (error: unknown) => void {
  const logger = new Logger(`${service}-system-config`);
  let last = '';
  let lastAt = 0;
  return (error) => {
    const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    const now = Date.now();
    if (message === last && now - lastAt < 60_000) return;
    last = message;
    lastAt = now;
    logger.warn(message);
  };
}

function sharedCacheProvider(settings: SharedCacheSettings) {
  return {
    provide: SHARED_CACHE,
    useFactory: (service: string): SharedCache => openSharedCache({ url: settings.url, namespace: settings.namespace, service, onError: warning(service, 'configuration cache') }),
    inject: [SERVICE_NAME],
  };
}

/**
 * Gives a subgraph a `SystemConfigReader` (global): copies in memory, then
 * Redis, then the users subgraph at `ownerUrl`. It hears changes from
 * bootstrap and disconnects at shutdown.
 */
@Global()
@Module({})
export class SystemConfigReaderModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(SystemConfigReader) private readonly reader: SystemConfigReader,
    @Inject(SHARED_CACHE) private readonly cache: SharedCache,
  ) {}

  static register(settings: SharedCacheSettings, ownerUrl: string): DynamicModule {
    return {
      module: SystemConfigReaderModule,
      providers: [
        sharedCacheProvider(settings),
        {
          provide: SystemConfigReader,
          useFactory: (cache: SharedCache, credentials: ServiceCredentials, service: string) =>
            new SystemConfigReader({ store: cache.store, bus: cache.bus, owner: ownerOverHttp(new SubgraphClient('users', ownerUrl, credentials)), onError: warning(service, 'configuration read') }),
          inject: [SHARED_CACHE, ServiceCredentials, SERVICE_NAME],
        },
      ],
      exports: [SystemConfigReader],
    };
  }

  async onModuleInit(): Promise<void> {
    await this.reader.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reader.close();
    await this.cache.close();
  }
}

/** Gives the owner (the users subgraph) its `SystemConfigPublisher`, closed at shutdown. */
@Module({})
export class SystemConfigPublisherModule implements OnApplicationShutdown {
  constructor(@Inject(SHARED_CACHE) private readonly cache: SharedCache) {}

  static register(settings: SharedCacheSettings): DynamicModule {
    return {
      module: SystemConfigPublisherModule,
      providers: [
        sharedCacheProvider(settings),
        {
          provide: SystemConfigPublisher,
          useFactory: (cache: SharedCache, service: string) => new SystemConfigPublisher(cache, warning(service, 'publishing a configuration change')),
          inject: [SHARED_CACHE, SERVICE_NAME],
        },
      ],
      exports: [SystemConfigPublisher],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.cache.close();
  }
}

/**
 * The label of `code` in a dictionary, read once per request and type
 * whatever the number of parents (100 devices: one read, from memory when
 * warm), so every row of a response shows the same version. A code the
 * dictionary lacks is its own label.
 */
export async function dictionaryLabel(context: RequestContext, reader: SystemConfigReader, type: DictionaryType, code: string): Promise<string> {
  const labels = await context.loaders
    .get<DictionaryType, Map<string, string>>('SystemConfig.dictionary', async (types) => {
      const dictionaries = await reader.dictionaries(types);
      return dictionaries.map((entries) => new Map(entries.map((entry) => [entry.code, entry.label])));
    })
    .load(type);
  return labels.get(code) ?? code;
}
