import type { DatabaseTarget } from '@cloudphone/db';
import { connect } from 'amqplib';
import postgres from 'postgres';

/** The URL of a PostgreSQL target (benchmarks run on real PostgreSQL only). */
export function postgresUrlOf(target: DatabaseTarget | undefined): string {
  if (target?.kind !== 'postgres') throw new Error('benchmarks run on PostgreSQL');
  return target.url;
}

/** "PostgreSQL <version>, RabbitMQ <version>", as the servers report themselves. */
export async function serverVersions(postgresUrl: string, amqpUrl: string): Promise<string> {
  const sql = postgres(postgresUrl, { max: 1 });
  try {
    const [server] = await sql<{ server_version: string }[]>`show server_version`;
    const broker = await connect(amqpUrl);
    const rabbit = String(broker.connection.serverProperties.version);
    await broker.close();
    return `PostgreSQL ${server?.server_version ?? '?'}, RabbitMQ ${rabbit}`;
  } finally {
    await sql.end();
  }
}
