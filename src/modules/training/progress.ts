/**
 * Training progress events: published by the job handler (any process) on
 * `Topics.trainingProgress(runId)` (src/modules/events.ts), delivered by the API process holding
 * the subscriber's websocket.
 */
import type { RunStatus } from '../status';

/**
 * One progress event of a training run: an epoch, a step inside a fit (PROGRESS), a hand-back to the
 * queue (REQUEUED: it starts over from epoch 1 when claimed again), or its one FINAL event.
 */
export interface ProgressEvent {
  runId: string;
  kind: 'EPOCH' | 'PROGRESS' | 'REQUEUED' | 'FINAL';
  status: RunStatus;
  epoch?: number;
  epochs?: number;
  loss?: number;
  accuracy?: number | null;
  valLoss?: number | null;
  valAccuracy?: number | null;
  elapsedMs?: number;
  /** PROGRESS events: steps done (1-based), of `steps`, each a `stepUnit` (e.g. 'tree'). */
  step?: number;
  steps?: number;
  stepUnit?: string;
  /** EPOCH and PROGRESS events: seconds left at the pace so far (src/jobs/progress-clock.ts). */
  etaSeconds?: number | null;
  /** Every other metric the spec asks for, by Keras name (e.g. `{ mae, val_mae }`). */
  metrics?: Record<string, number> | null;
  /** A {@link FailureCode}. */
  failureCode?: string | null;
  failureMessage?: string | null;
  modelVersionId?: string | null;
  /** REQUEUED events: why the run went back to the queue. */
  reason?: string | null;
  /** When the worker published it, ms since the epoch (for latency measurements). */
  emittedAt?: number;
  /** True for stored epochs replayed to a late subscriber. */
  replayed?: boolean;
}
