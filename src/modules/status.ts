/**
 * The one definition of the statuses and failure codes of the platform's jobs.
 *
 * Glossary: a *training run* is one job that fits a model on a dataset; a *batch prediction* is
 * one job that scores every row of a dataset with a model version. Both move through the same
 * statuses (the database has one `RunStatus` enum for both, and the API shows both with the
 * GraphQL enum `RunStatus`):
 *
 *   QUEUED -> RUNNING -> SUCCEEDED | FAILED | CANCELLED   (RUNNING -> QUEUED when handed back)
 */
import type { ErrorCode } from '../lib/errors';

/** Status of a training run or a batch prediction. */
export const RunStatus = {
  QUEUED: 'QUEUED',
  RUNNING: 'RUNNING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
} as const;
/** One of {@link RunStatus}'s values. */
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

/** A batch prediction's status: the same values as a training run's. */
export const BatchStatus = RunStatus;
/** One of {@link BatchStatus}'s values. */
export type BatchStatus = RunStatus;

/** Statuses a job never leaves. */
export const TERMINAL_STATUSES: readonly RunStatus[] = [RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED];

/** Statuses that count against the concurrent-runs quota and block deleting the dataset. */
export const ACTIVE_STATUSES: readonly RunStatus[] = [RunStatus.QUEUED, RunStatus.RUNNING];

/** Whether `status` is final. */
export const isTerminal = (status: RunStatus): boolean => TERMINAL_STATUSES.includes(status);

/**
 * `failureCode` of a FAILED run or batch: the code of the {@link AppError} that ended it (a data or
 * spec problem), INTERNAL_SERVER_ERROR for an unexpected crash on the last attempt, or WORKER_LOST
 * when the worker stopped renewing its lease on the last attempt (src/jobs/reaper.ts), RUNTIME_FAULT
 * when the training thread's runtime failed, TIME_LIMIT_EXCEEDED when the run passed its wall-clock
 * limit (src/jobs/run-supervisor.ts).
 */
export type FailureCode = ErrorCode | 'WORKER_LOST' | 'RUNTIME_FAULT' | 'TIME_LIMIT_EXCEEDED';

/** The failure codes that do not come from an AppError. */
export const FailureCode = {
  WORKER_LOST: 'WORKER_LOST',
  /** The training thread's runtime failed (WASM abort, out of memory); the thread was replaced. */
  RUNTIME_FAULT: 'RUNTIME_FAULT',
  /** The run trained past its time limit (TRAINING_MAX_RUN_SECONDS, per tenant trainingMaxRunSeconds); its thread was ended. */
  TIME_LIMIT_EXCEEDED: 'TIME_LIMIT_EXCEEDED',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
} as const satisfies Record<string, FailureCode>;
