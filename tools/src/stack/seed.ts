import type { SubgraphDatabase } from '@cloudphone/db';
import type { SubgraphDefinition } from '@cloudphone/subgraph-kit';

/** Loads `seed` into a subgraph's database when it has no data yet (first start); null or undefined loads nothing. True when it loaded. */
export async function seedIfEmpty(definition: SubgraphDefinition<unknown>, database: SubgraphDatabase, seed: unknown): Promise<boolean> {
  if (seed === null || seed === undefined || (await definition.hasData(database))) return false;
  await definition.seed(database, seed);
  return true;
}
