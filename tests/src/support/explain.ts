import type { RecordedStatement } from '@cloudphone/db';
import postgres from 'postgres';

/** One scan of a table in a plan: how the planner reads it. */
export interface PlanScan {
  nodeType: string;
  relation: string;
  index: string | undefined;
  /** The index condition: absent for a full index scan (an order only, every row read). */
  indexCond: string | undefined;
  filter: string | undefined;
}

export interface ExplainedStatement {
  statement: RecordedStatement;
  /** The plan as EXPLAIN (FORMAT JSON) gives it. */
  plan: unknown;
  scans: PlanScan[];
  /** Planning plus execution time, when explained with ANALYZE. */
  ms?: number | undefined;
}

interface PlanNode {
  'Node Type'?: string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  Filter?: string;
  Plans?: PlanNode[];
}

function scansOf(node: PlanNode, into: PlanScan[] = []): PlanScan[] {
  const relation = node['Relation Name'];
  if (relation !== undefined && node['Node Type'] !== undefined) {
    into.push({ nodeType: node['Node Type'], relation, index: node['Index Name'], indexCond: node['Index Cond'] ?? node['Recheck Cond'], filter: node.Filter });
  }
  for (const child of node.Plans ?? []) scansOf(child, into);
  return into;
}

/** Statements a plan can be asked for: queries and writes, not transaction control or settings. */
export function explainable(statement: RecordedStatement): boolean {
  return /^\s*\(?\s*(select|with|insert|update|delete)\b/i.test(statement.sql);
}

export interface ExplainOptions {
  /** Off: the planner takes a Seq Scan only where no index can serve the scan. */
  seqscan: boolean;
  /** Runs the statement too (inside a transaction that is rolled back) and reports its time. */
  analyze?: boolean;
  /** Statements to run first in the same (rolled back) transaction, e.g. dropping an index to see what the plans do without it. */
  setup?: readonly string[];
}

/**
 * EXPLAINs statements as a subgraph sent them, with their parameters bound
 * (so the planner sees the values, as it did for the subgraph), in one
 * transaction that is rolled back: nothing they would write stays.
 */
export async function explainStatements(url: string, statements: readonly RecordedStatement[], options: ExplainOptions): Promise<ExplainedStatement[]> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  const explained: ExplainedStatement[] = [];
  const rollback = new Error('rollback');
  try {
    await sql
      .begin(async (tx) => {
        await tx.unsafe(`set local enable_seqscan = ${options.seqscan ? 'on' : 'off'}`);
        for (const setup of options.setup ?? []) await tx.unsafe(setup);
        const verb = options.analyze ? 'explain (analyze, format json)' : 'explain (format json)';
        for (const statement of statements) {
          const rows = await tx.unsafe<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Planning Time'?: number; 'Execution Time'?: number }] }[]>(
            `${verb} ${statement.sql}`,
            statement.params as postgres.ParameterOrJSON<never>[],
          );
          const [document] = rows[0]?.['QUERY PLAN'] ?? [];
          if (!document) throw new Error(`no plan for ${statement.sql}`);
          const ms = options.analyze ? (document['Planning Time'] ?? 0) + (document['Execution Time'] ?? 0) : undefined;
          explained.push({ statement, plan: document.Plan, scans: scansOf(document.Plan), ms });
        }
        throw rollback;
      })
      .catch((error: unknown) => {
        if (error !== rollback) throw error;
      });
  } finally {
    await sql.end({ timeout: 5 });
  }
  return explained;
}

/** A statement, its parameters and its plan, to print when a check fails. */
export function describe(explained: ExplainedStatement): string {
  return `${explained.statement.sql}\n  params: ${JSON.stringify(explained.statement.params)}\n  plan: ${JSON.stringify(explained.plan, null, 1)}`;
}
