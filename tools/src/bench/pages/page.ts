import { readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { repoPath } from '../../paths.js';

/** The subgraph databases a page's floor reads, one connection pool each (opened lazily: a pool a page never uses costs no connection). */
export interface PageDatabases {
  users: postgres.Sql;
  devices: postgres.Sql;
  apps: postgres.Sql;
  billing: postgres.Sql;
  notifications: postgres.Sql;
  scheduler: postgres.Sql;
}

/** Opens a pool of at most `poolSize` connections on each database named in `urls`. */
export function openPageDatabases(urls: Readonly<Record<keyof PageDatabases, string>>, poolSize: number): PageDatabases & { end(): Promise<void> } {
  const open = (url: string) => postgres(url, { max: poolSize, onnotice: () => undefined });
  const pools = {
    users: open(urls.users),
    devices: open(urls.devices),
    apps: open(urls.apps),
    billing: open(urls.billing),
    notifications: open(urls.notifications),
    scheduler: open(urls.scheduler),
  };
  return { ...pools, end: async () => void (await Promise.all(Object.values(pools).map((sql) => sql.end()))) };
}

/** A page's GraphQL variables, as JSON carries them to the gateways and to the floor. */
export type PageVariables = Readonly<Record<string, unknown>>;

/**
 * One page of DOMAIN.md ("What the pages need") as the pages benchmark drives
 * it: the one query the console sends for it, the variables a realistic
 * request carries, and the floor, the same data read by direct SQL.
 */
export interface BenchPage {
  /** `npm run bench -- pages --page <name>`. */
  name: string;
  /** Its BENCHMARKS.md section: "Pages: <title> (...)". */
  title: string;
  /** What the page reads and from which subgraphs, for its section (Markdown, one paragraph). */
  description: string;
  /** The GraphQL document of the page. */
  query(): Promise<string>;
  /**
   * For a list page: the variable that sets how many items a page holds. SQL
   * statements are then counted at several sizes, which must cost the same.
   */
  pageSizeVariable?: string;
  /**
   * The variables of every timed request, chosen from the data once before
   * timing (the user owning the most devices, say), so the page is not empty.
   * `pageSize` is the benchmark's items per page for list pages.
   */
  variables(databases: PageDatabases, pageSize: number): Promise<PageVariables>;
  /** The page's `data` read by direct SQL: every gateway's answer must equal `{ data: <this> }`. */
  readFloor(databases: PageDatabases, variables: PageVariables): Promise<unknown>;
}

/** A committed client operation (`schema/operations/<file>`), as the console sends it. */
export async function committedOperation(file: string): Promise<string> {
  return readFile(repoPath('schema', 'operations', file), 'utf8');
}

/** A variable the floor needs, checked: the floor answers what the benchmark sent, never a default of its own. */
export function variableOf<T extends 'string' | 'number'>(variables: PageVariables, name: string, type: T): T extends 'string' ? string : number {
  const value = variables[name];
  if (typeof value !== type) throw new Error(`the floor needs $${name} as a ${type}, not ${JSON.stringify(value)}`);
  return value as T extends 'string' ? string : number;
}
