/**
 * Training progress events: published by the job handler (any process), delivered by the API
 * process holding the subscriber's websocket. The topic is the run id.
 */
import type { RunStatusValue } from './training-run.repo';

export const progressTopic = (runId: string) => `training-run:${runId}`;

export interface ProgressEvent {
  runId: string;
  kind: 'EPOCH' | 'FINAL';
  status: RunStatusValue;
  epoch?: number;
  epochs?: number;
  loss?: number;
  accuracy?: number | null;
  valLoss?: number | null;
  valAccuracy?: number | null;
  elapsedMs?: number;
  failureCode?: string | null;
  failureMessage?: string | null;
  modelVersionId?: string | null;
  /** When the worker published it, ms since the epoch (for latency measurements). */
  emittedAt?: number;
  /** True for stored epochs replayed to a late subscriber. */
  replayed?: boolean;
}
