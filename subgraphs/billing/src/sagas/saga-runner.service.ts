import { randomUUID } from 'node:crypto';
import { AppError } from '@cloudphone/errors';
import type { Database, SubgraphDatabase } from '@cloudphone/db';
import { DATABASE } from '@cloudphone/subgraph-kit';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { BILLING_SETTINGS, type BillingSettings } from '../config.js';
import type { SagaRow } from '../database/schema.js';
import type { SagaDefinition, StepResult } from './saga-definition.js';
import { type SagaAdvance, SagasRepository } from './sagas.repository.js';

/** The exit code of the SAGA_CRASH_AT test hook (tests tell it from a real crash). */
export const SAGA_CRASH_EXIT_CODE = 86;
/** At most this many sagas run at once in one process. */
const CONCURRENCY = 8;
const MAX_BACKOFF_MS = 60_000;

/** Retries of a failing step back off exponentially: 0.5 s, 1 s, 2 s ... up to a minute. */
export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.max(0, Math.min(attempts - 1, 16)));
}

/** The stored form of a step result, given where the saga was. */
export function advanceFor(saga: Pick<SagaRow, 'status' | 'step' | 'state' | 'failureReason'>, result: StepResult<unknown>, now: number): SagaAdvance {
  const state = result.state ?? saga.state;
  switch (result.kind) {
    case 'next':
      return { status: saga.status, step: result.step, state, wakeAt: new Date(now), lastError: null };
    case 'wait':
      return { status: saga.status, step: saga.step, state, wakeAt: new Date(now + result.ms), lastError: null };
    case 'compensate':
      return { status: 'COMPENSATING', step: result.step, state, wakeAt: new Date(now), lastError: null, failureReason: result.reason };
    case 'finish':
      return { status: saga.status === 'COMPENSATING' ? 'COMPENSATED' : 'COMPLETED', step: saga.step, state, wakeAt: new Date(now), lastError: null };
  }
}

/**
 * Runs persisted sagas. Each process claims due sagas by lease (several
 * replicas share the work), runs their steps one after another, and stores
 * each step's result before the next; a process that dies leaves its sagas
 * to whoever claims them once their lease runs out, at the step it was on.
 * A step that throws is retried with backoff; a step decides itself when to
 * give up and compensate.
 */
@Injectable()
export class SagaRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('billing-sagas');
  private readonly owner = `billing-${randomUUID()}`;
  private readonly definitions = new Map<string, SagaDefinition<unknown>>();
  private readonly running = new Set<Promise<void>>();
  /** Sagas this process is driving now: never claimed twice, even if a lease renewal is late. */
  private readonly driving = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private stopped = false;
  private readonly bootedAt = Date.now();

  constructor(
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
    private readonly repository: SagasRepository,
    @Inject(BILLING_SETTINGS) private readonly settings: BillingSettings,
  ) {}

  register<S>(definition: SagaDefinition<S>): void {
    this.definitions.set(definition.kind, definition as SagaDefinition<unknown>);
  }

  onApplicationBootstrap(): void {
    if (this.database.kind === 'none') return;
    this.timer = setInterval(() => this.kick(), this.settings.sagaPollMs);
    this.timer.unref();
    this.kick();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.polling;
    await Promise.allSettled([...this.running]);
    if (this.database.kind !== 'none') await this.repository.releaseLeases(this.owner).catch(() => undefined);
  }

  /** Looks for due sagas now (a saga was started or woken). */
  kick(): void {
    if (this.stopped) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = this.poll()
      .catch((error: unknown) => this.logger.error(`claiming sagas failed: ${(error as Error).message}`))
      .finally(() => {
        this.polling = undefined;
        if (this.pollAgain) {
          this.pollAgain = false;
          this.kick();
        }
      });
  }

  private async poll(): Promise<void> {
    const free = CONCURRENCY - this.running.size;
    if (free <= 0) return;
    const claimed = await this.repository.claimDue(this.owner, this.settings.sagaLeaseMs, free, [...this.driving]);
    for (const saga of claimed) {
      this.driving.add(saga.id);
      // The lease is renewed while the saga runs, so a slow step (a peer near its timeout) keeps it.
      const heartbeat = setInterval(() => void this.repository.renewLease(saga.id, this.owner, this.settings.sagaLeaseMs).catch(() => undefined), this.settings.sagaLeaseMs / 3);
      heartbeat.unref();
      const run = this.drive(saga).catch((error: unknown) => this.logger.error(`saga ${saga.id} stopped: ${(error as Error).message}`));
      this.running.add(run);
      void run.finally(() => {
        clearInterval(heartbeat);
        this.driving.delete(saga.id);
        this.running.delete(run);
        this.kick();
      });
    }
  }

  /** Runs a claimed saga's steps until it waits, finishes, fails a step or loses its lease. */
  private async drive(claimed: SagaRow): Promise<void> {
    const definition = this.definitions.get(claimed.kind);
    if (!definition) throw new Error(`no saga definition for kind ${claimed.kind}`);
    let saga = claimed;
    for (;;) {
      if (this.stopped) return;
      const step = definition.steps[saga.step];
      if (!step) throw new Error(`saga ${saga.id} (${saga.kind}) is at unknown step ${saga.step}`);
      this.crashIf('before', saga.step, saga);
      const current = saga;
      // What the step decided, as stored: once stored (with the step's own transaction or after it), the saga goes on from it.
      let stored: SagaAdvance | undefined;
      const store = async (tx: Database, result: StepResult<unknown>): Promise<void> => {
        const advance = advanceFor(current, result, Date.now());
        if (!(await this.repository.advance(tx, current.id, this.owner, advance, this.holdFor(result)))) throw new LeaseLost(current.id);
        stored = advance;
      };
      let result: StepResult<unknown>;
      try {
        result = await step({
          sagaId: current.id,
          subjectId: current.subjectId,
          state: definition.parseState(current.state),
          compensating: current.status === 'COMPENSATING',
          failureReason: current.failureReason,
          createdAt: current.createdAt,
          commit: (work) =>
            this.database.db.transaction(async (tx) => {
              const outcome = await work(tx);
              this.crashIf('effect', current.step, current);
              await store(tx, outcome);
              return outcome;
            }),
        });
        if (!stored) {
          this.crashIf('effect', current.step, current);
          const decided = result;
          await this.database.db.transaction((tx) => store(tx, decided));
        }
      } catch (error) {
        if (error instanceof LeaseLost) return;
        // A step that failed stored nothing; one whose record failed is run again too (steps are idempotent).
        await this.fail(current, error as Error);
        return;
      }
      this.crashIf('after', current.step, current);
      const next: SagaAdvance | undefined = stored;
      if (next === undefined || this.holdFor(result) === undefined) return;
      saga = { ...current, status: next.status, step: next.step, state: next.state, failureReason: next.failureReason ?? current.failureReason };
    }
  }

  /** How long to keep the lease after a step: the next step runs at once (next, compensate); none when the saga waits or is over. */
  private holdFor(result: StepResult<unknown>): number | undefined {
    return result.kind === 'next' || result.kind === 'compensate' ? this.settings.sagaLeaseMs : undefined;
  }

  /** A step threw: keep the error, and run the step again after a backoff. */
  private async fail(saga: SagaRow, error: Error): Promise<void> {
    const retryable = !(error instanceof AppError) || error.code === 'SERVICE_UNAVAILABLE' || error.code === 'INTERNAL_ERROR';
    const message = error instanceof AppError ? `${error.code}: ${error.message}` : error.message;
    if (!retryable) this.logger.warn(`saga ${saga.id} step ${saga.step} refused (${message}); the step should have decided this itself, retrying`);
    else this.logger.warn(`saga ${saga.id} step ${saga.step} failed (${message}); retrying`);
    await this.database.db.transaction((tx) =>
      this.repository.advance(tx, saga.id, this.owner, {
        status: saga.status,
        step: saga.step,
        state: saga.state,
        wakeAt: new Date(Date.now() + backoffMs(saga.attempts)),
        lastError: message.slice(0, 1000),
      }),
    );
  }

  /**
   * The SAGA_CRASH_AT test hook: the process dies here, as it would on a
   * crash (no cleanup). Armed only for sagas started after this process
   * booted, so a process started with the next crash point first finishes
   * the sagas an earlier crash left behind.
   */
  private crashIf(phase: 'before' | 'effect' | 'after', step: string, saga: SagaRow): void {
    if (this.settings.crashAt === `${phase}:${step}` && saga.createdAt.getTime() >= this.bootedAt) {
      this.logger.warn(`SAGA_CRASH_AT=${phase}:${step}: exiting`);
      process.exit(SAGA_CRASH_EXIT_CODE);
    }
  }
}

class LeaseLost extends Error {
  constructor(sagaId: string) {
    super(`lost the lease of saga ${sagaId}`);
  }
}
