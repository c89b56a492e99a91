import { badUserInput } from '@cloudphone/errors';
import { type CursorPosition, type Page, type PageRequest, type TotalCount, decodeCursor } from '@cloudphone/db';
import type { Type } from '@nestjs/common';
import { ArgsType, Directive, Field, Int, ObjectType } from '@nestjs/graphql';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ObjectType({ description: 'Where a page sits in its list (Relay cursor connections).' })
@Directive('@shareable')
export class PageInfo {
  @Field({ description: 'True when more items follow this page.' })
  hasNextPage: boolean;

  @Field({ description: 'True when items precede this page.' })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page.' })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the page; pass it as `after` for the next page.' })
  endCursor: string | null;
}

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `Page size, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return items after this cursor.' })
  after?: string | null;
}

/** Validates `first` and `after`; out-of-range sizes and unreadable cursors are BAD_USER_INPUT. */
export function toPageRequest(args: ConnectionArgs): PageRequest {
  const limit = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw badUserInput(`"first" must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
  }
  let after: CursorPosition | undefined;
  if (args.after !== undefined && args.after !== null) {
    after = decodeCursor(args.after);
  }
  return { limit, after };
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** A function until a client selects `totalCount`: then GraphQL's default resolver calls it. */
  totalCount: TotalCount;
}

/** Builds a Relay connection from a page of rows. */
export function toConnection<TRow, TNode>(
  page: Page<TRow>,
  request: PageRequest,
  cursorOf: (row: TRow) => string,
  toNode: (row: TRow) => TNode,
): ConnectionShape<TNode> {
  const edges = page.rows.map((row) => ({ cursor: cursorOf(row), node: toNode(row) }));
  return {
    edges,
    totalCount: page.totalCount,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: request.after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * Declares `<Name>Connection` and `<Name>Edge` object types for a node type.
 * Use as `@ObjectType() class DeviceConnection extends Connection(Device, 'Device') {}`.
 */
export function Connection<T>(node: Type<T>, name: string) {
  @ObjectType(`${name}Edge`, { description: `An edge in a list of ${name} items.` })
  class EdgeType {
    @Field({ description: 'Opaque position of this item in the list.' })
    cursor: string;

    @Field(() => node, { description: `The ${name} item.` })
    node: T;
  }

  @ObjectType({ isAbstract: true })
  abstract class ConnectionType {
    @Field(() => [EdgeType], { description: 'The items of this page.' })
    edges: EdgeType[];

    @Field(() => PageInfo, { description: 'Pagination state.' })
    pageInfo: PageInfo;

    @Field(() => Int, { description: 'Number of items in the whole list.' })
    totalCount: number;
  }
  return ConnectionType;
}
