import type { DatabaseTarget } from '@cloudphone/db';
import { inMemoryPglite, realPostgres, throwawayPostgres } from '@cloudphone/testing';
import { type EventSettings, type Stack, readRoverConfig, startStack } from '@cloudphone/tools';

export type DatabaseKind = 'postgres' | 'pglite';

export interface TestStack extends Stack {
  kind: DatabaseKind;
  /** Each subgraph's database (tests may reach into PostgreSQL ones, e.g. to corrupt a copy). */
  databases: Record<string, DatabaseTarget>;
}

/**
 * Starts the whole supergraph for a test on throwaway databases: real
 * PostgreSQL (a fresh database per subgraph, dropped on close) or in-memory
 * PGlite. Returns undefined when PostgreSQL is wanted but absent outside CI.
 */
export async function startTestStack(
  kind: DatabaseKind,
  seed: Record<string, unknown> | null,
  gatewayEnv: Record<string, string> = {},
  events: Partial<EventSettings> = {},
): Promise<TestStack | undefined> {
  const names = (await readRoverConfig()).subgraphs.map((subgraph) => subgraph.name);
  if (kind === 'pglite') {
    const targets = inMemoryPglite(names);
    const stack = await startStack({ databases: targets, ports: { kind: 'free' }, host: '127.0.0.1', seed, gatewayEnv, events });
    return { ...stack, kind, databases: targets };
  }
  const adminUrl = await realPostgres();
  if (adminUrl === undefined) return undefined;
  const databases = throwawayPostgres(adminUrl, names);
  try {
    const stack = await startStack({ databases: databases.targets, ports: { kind: 'free' }, host: '127.0.0.1', seed, gatewayEnv, events });
    return {
      ...stack,
      kind,
      databases: databases.targets,
      close: async () => {
        await stack.close();
        await databases.drop();
      },
    };
  } catch (error) {
    await databases.drop();
    throw error;
  }
}

/** The database kind integration tests run on: PostgreSQL when configured (always in CI), else PGlite. */
export async function preferredKind(): Promise<DatabaseKind> {
  return (await realPostgres()) === undefined ? 'pglite' : 'postgres';
}
