import type { Page, PageRequest } from '@cloudphone/db';
import { type RowScope, rowScope } from '@cloudphone/identity';
import { type ConnectionArgs, type ConnectionShape, type RequestContext, toConnection, toPageRequest } from '@cloudphone/subgraph-kit';

export interface PerParentPages<TRow, TNode> {
  /** Loader name, e.g. `User.invoices`: parents asking for the same page in one request share it. */
  name: string;
  /** The resource whose read scope filters the rows (e.g. `payment`). */
  resource: string;
  /** One page per parent within the scope, in one statement (a repository's pagesPerParent). */
  pages: (parentIds: readonly string[], request: PageRequest, scope: RowScope) => Promise<Map<string, Page<TRow>>>;
  cursor: (row: TRow) => string;
  toNode: (row: TRow) => TNode;
}

/**
 * A per-parent connection (User.invoices, Device.usage): batched by request,
 * so any number of parents asking for the same page costs one statement, and
 * filtered in SQL by the principal's read scope on `resource`.
 */
export function connectionOfParent<TRow, TNode>(context: RequestContext, parentId: string, args: ConnectionArgs, options: PerParentPages<TRow, TNode>): Promise<ConnectionShape<TNode>> {
  const request = toPageRequest(args);
  const scope = rowScope(context.principal, options.resource);
  return context.loaders
    .get<string, ConnectionShape<TNode>>(`${options.name}:${JSON.stringify([request.limit, args.after ?? null])}`, async (ids) => {
      const pages = await options.pages(ids, request, scope);
      return ids.map((id) => toConnection(pages.get(id) ?? { rows: [], hasNextPage: false, totalCount: 0 }, request, options.cursor, options.toNode));
    })
    .load(parentId);
}
