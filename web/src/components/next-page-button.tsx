import type { Connection } from '../operations/types';

/**
 * Asks for the page after the connection's end cursor (the cache's relay-style policy appends it), while
 * there is one.
 */
export function NextPageButton<TNode>({ connection, pageSize, loading, onNext }: { connection: Connection<TNode> | undefined; pageSize: number; loading: boolean; onNext: (after: string | null) => void }) {
  if (!connection?.pageInfo.hasNextPage) return null;
  return (
    <button type="button" className="more" disabled={loading} onClick={() => onNext(connection.pageInfo.endCursor)}>
      {loading ? 'Loading…' : `Next ${pageSize} (${connection.edges.length} of ${connection.totalCount} shown)`}
    </button>
  );
}
