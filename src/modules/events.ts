/**
 * Every domain pub/sub topic, with the type of its payload. Events cross processes (PostgreSQL
 * LISTEN/NOTIFY, src/lib/pubsub.ts): a worker publishes a run's progress, the API process holding
 * the subscriber's websocket delivers it; a change in one API process reaches the caches of all.
 * Publish after the transaction that made the change commits.
 *
 * (The job queue's wake-up signal is infrastructure, declared privately in src/lib/queue.ts.)
 */
import { topic, type Topic } from '../lib/pubsub';
import type { StageTransitionView } from './registry/stage';
import type { BatchStatus, RunStatus } from './status';
import type { ProgressEvent } from './training/progress';

export type { ProgressEvent };

/** Progress of a batch prediction: one event per scored chunk, then the final state. */
export interface BatchProgressEvent {
  id: string;
  status: BatchStatus;
  processedRows: number;
  rowCount: number;
  failureMessage?: string | null;
}

/** What a model name resolves to may have changed (new version, alias set or deleted). */
export interface ModelChangedEvent {
  tenantId: string;
  modelName: string;
}

/** A model version was deleted: caches evict it. */
export interface VersionDeletedEvent {
  modelVersionId: string;
  tenantId: string;
  modelName: string;
}

/** An evaluation's state: RUNNING when taken, then SUCCEEDED or FAILED. */
export interface EvaluationProgressEvent {
  id: string;
  status: RunStatus;
  failureCode?: string | null;
  failureMessage?: string | null;
}

/** A version of a model changed stage (one event per move; a promotion may archive another first). */
export interface ModelStageChangedEvent {
  tenantId: string;
  transition: StageTransitionView;
}

/** A sweep changed: trials started, finished or stopped, or the sweep itself ended. */
export interface SweepChangedEvent {
  sweepId: string;
  status: RunStatus;
}

/** An API key was revoked: its cached credentials are dropped and its websockets closed. */
export interface KeyRevokedEvent {
  apiKeyId: string;
}

/** A dataset was deleted or archived: workers drop their parsed copies of it (src/jobs/dataset-tables.ts). */
export interface DatasetRemovedEvent {
  tenantId: string;
  datasetId: string;
}

/** The topics; publish and subscribe with these, never with strings. */
export const Topics = {
  /** A training run's EPOCH events and its one FINAL event; keyed by run id. */
  trainingProgress: (runId: string): Topic<ProgressEvent> => topic(`training-run:${runId}`),
  /** A batch prediction's progress; keyed by batch id. */
  batchProgress: (batchId: string): Topic<BatchProgressEvent> => topic(`batch-prediction:${batchId}`),
  /** An evaluation's state changes; keyed by evaluation id. */
  evaluationProgress: (evaluationId: string): Topic<EvaluationProgressEvent> => topic(`model-evaluation:${evaluationId}`),
  modelChanged: topic<ModelChangedEvent>('registry:model-changed'),
  /** Stage moves of one model; keyed by tenant and model id (a name may be reused after deleteModel). */
  modelStageChanged: (tenantId: string, modelId: string): Topic<ModelStageChangedEvent> => topic(`registry:stage:${tenantId}:${modelId}`),
  versionDeleted: topic<VersionDeletedEvent>('registry:version-deleted'),
  keyRevoked: topic<KeyRevokedEvent>('auth:key-revoked'),
  datasetRemoved: topic<DatasetRemovedEvent>('datasets:removed'),
  /** A sweep's changes (src/modules/sweeps); keyed by sweep id. */
  sweepChanged: (sweepId: string): Topic<SweepChangedEvent> => topic(`sweep:${sweepId}`),
} as const;
