import type { Database } from '@cloudphone/db';

/**
 * What a step of a saga decided:
 *   next        go on to `step` (forward, or the next compensation)
 *   wait        run this step again after `ms` (or sooner when woken)
 *   compensate  stop going forward; undo from `step` on, for `reason`
 *   finish      the saga is over (COMPLETED forward, COMPENSATED undone)
 * `state` replaces the saga's state when given.
 */
export type StepResult<S> =
  | { kind: 'next'; step: string; state?: S }
  | { kind: 'wait'; ms: number; state?: S }
  | { kind: 'compensate'; step: string; reason: string; state?: S }
  | { kind: 'finish'; state?: S };

export interface StepInput<S> {
  readonly sagaId: string;
  readonly subjectId: string;
  readonly state: S;
  readonly compensating: boolean;
  /** Why the saga is being undone; null going forward. */
  readonly failureReason: string | null;
  readonly createdAt: Date;
  /**
   * Runs `work` in a transaction that also stores the step's result, so a
   * local effect (a ledger entry, an order's status) and the saga's progress
   * commit together or not at all. A step that calls another service does
   * that call first, outside any transaction, and may then commit its record of it.
   */
  commit(work: (tx: Database) => Promise<StepResult<S>>): Promise<StepResult<S>>;
}

/**
 * A step. It must be idempotent: a process may die after the step's effect
 * and before its result is stored, and the step then runs again.
 */
export type Step<S> = (input: StepInput<S>) => Promise<StepResult<S>>;

export interface SagaDefinition<S> {
  readonly kind: string;
  /** Forward steps and compensations by name. */
  readonly steps: Readonly<Record<string, Step<S>>>;
  /** Parses a stored state (it was written by this code, but a version may have changed). */
  parseState(value: unknown): S;
}
