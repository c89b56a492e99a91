import type { SubgraphDatabase } from '@cloudphone/db';
import { type DynamicModule, Global, Module } from '@nestjs/common';

/** DI token of the subgraph's open database; only repositories inject it. */
export const DATABASE = Symbol('DATABASE');

@Global()
@Module({})
export class DatabaseModule {
  static forDatabase(database: SubgraphDatabase): DynamicModule {
    return { module: DatabaseModule, providers: [{ provide: DATABASE, useValue: database }], exports: [DATABASE] };
  }
}

/** A stand-in for schema printing, where no query may run. */
export function schemaOnlyDatabase(service: string): SubgraphDatabase {
  const refuse = (): never => {
    throw new Error(`${service}: no database is open while printing the schema`);
  };
  return {
    service,
    kind: 'none',
    get db(): never {
      return refuse();
    },
    get background(): never {
      return refuse();
    },
    listen: refuse,
    ping: refuse,
    statements: { record: refuse, total: 0, measure: refuse } as unknown as SubgraphDatabase['statements'],
    close: async () => undefined,
  };
}
