import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner, type QueryPlannerConfig } from '@apollo/query-planner';
import { parse } from 'graphql';
import { type ManifestOperation, sha256Hex } from './operation-manifest.js';
import type { QueryPlanStore } from './query-plan-store.js';

/**
 * The keys @apollo/gateway 2.14 looks a plan up by (its `executor`): the
 * request's `queryHash` (sha256 hex of the query text, which is the
 * manifest id), or, when the request names its operation, the sha256 of
 * that hash followed by the name. Apollo Client always names it; a plain
 * POST may not, so both are stored.
 */
export function planStoreKeys(operation: Pick<ManifestOperation, 'id' | 'name'>): [string, string] {
  return [operation.id, sha256Hex(operation.id + operation.name)];
}

/** The report of a warm-up that planned nothing (none yet, or warming off). */
export const NOTHING_WARMED: Readonly<WarmupReport> = Object.freeze({ planned: 0, skipped: [], milliseconds: 0, setupMilliseconds: 0, superseded: false });

export interface WarmupReport {
  /** Operations planned and stored. */
  planned: number;
  /** Operations that no longer plan against this supergraph, with why; the rest are warm. */
  skipped: { name: string; reason: string }[];
  /** From the schema load to the last plan stored. */
  milliseconds: number;
  /** Of which building the supergraph and the planner (the gateway's own are private), before any operation. */
  setupMilliseconds: number;
  /** Whether a newer schema load took over before this one finished (its plans are not stored). */
  superseded: boolean;
}

/** The part of the gateway's pino logger the warm-up writes to. */
export interface WarmupLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface WarmupOptions {
  store: QueryPlanStore;
  operations: readonly ManifestOperation[];
  /** The gateway's own `queryPlannerConfig`, so a warm plan is the plan it would make. */
  plannerConfig: QueryPlannerConfig;
  log: WarmupLog;
}

/**
 * Plans the manifest's operations on every schema load of the gateway, with
 * its planner config, and stores each plan under the keys the gateway will
 * look up. Subscriptions are left out: the gateway plans only HTTP
 * operations (subscriptions run as grafted queries, see subscriptions/).
 * The warm-up yields to requests between operations, so a reload does not
 * stall traffic; a newer load stops an older warm-up before it writes into
 * the new store.
 */
export class QueryPlanWarmer {
  private generation = 0;
  private latest: Promise<WarmupReport> = Promise.resolve(NOTHING_WARMED);

  constructor(private readonly options: WarmupOptions) {}

  /** The gateway's `onSchemaLoadOrUpdate` listener: the store was cleared just before. */
  readonly onSchemaLoad = ({ coreSupergraphSdl }: { coreSupergraphSdl: string }): void => {
    const generation = ++this.generation;
    this.latest = this.warm(coreSupergraphSdl, () => generation !== this.generation);
  };

  /** The report of the latest schema load's warm-up, once it finished. */
  settled(): Promise<WarmupReport> {
    return this.latest;
  }

  private async warm(supergraphSdl: string, superseded: () => boolean): Promise<WarmupReport> {
    const started = performance.now();
    const report: WarmupReport = { ...NOTHING_WARMED, skipped: [] };
    const { store, operations, plannerConfig, log } = this.options;
    try {
      // The same calls the gateway makes (its own planner is private), without validating again what it just validated.
      const supergraph = Supergraph.build(supergraphSdl, { validateSupergraph: false });
      const apiSchema = supergraph.apiSchema();
      const planner = new QueryPlanner(supergraph, plannerConfig);
      report.setupMilliseconds = Math.round(performance.now() - started);
      for (const operation of operations) {
        if (operation.type === 'subscription') continue;
        if (superseded()) {
          report.superseded = true;
          break;
        }
        try {
          const plan = planner.buildQueryPlan(operationFromDocument(apiSchema, parse(operation.body), { operationName: operation.name }));
          for (const key of planStoreKeys(operation)) store.preload(key, plan);
          report.planned += 1;
        } catch (error) {
          // A client still sending it is refused by validation, as without the warm-up.
          const reason = (error as Error).message;
          report.skipped.push({ name: operation.name, reason });
          log.warn({ operation: operation.name, reason }, `query plan warm-up: skipped ${operation.name}, it no longer plans against the supergraph`);
        }
        await yieldToRequests();
      }
    } catch (error) {
      log.warn({ reason: (error as Error).message }, 'query plan warm-up: the supergraph did not build, nothing warmed');
    }
    report.milliseconds = Math.round(performance.now() - started);
    if (!report.superseded) {
      const { plans, bytes } = store.size();
      log.info(
        { planned: report.planned, skipped: report.skipped.length, milliseconds: report.milliseconds, setupMilliseconds: report.setupMilliseconds, plans, bytes },
        `query plan warm-up: ${report.planned} operation(s) planned in ${report.milliseconds} ms, ${report.skipped.length} skipped`,
      );
    }
    return report;
  }
}
