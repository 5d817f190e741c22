/** GraphQL types of per-tenant limits: the operator's input, and the effective values. */
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Nullable } from '../common/fields';

/**
 * The operator's overrides of one tenant's limits. setTenantLimits replaces them all: a field left
 * out or null is the global default from the configuration. Sizes are Float (GraphQL Int is 32-bit)
 * but must be whole numbers.
 */
@InputType({ description: 'Per-tenant limits; a field left out or null uses the global default (QUOTA_*, TRAINING_MAX_*, INFER_MAX_OUTPUT_VALUES, TENANT_MAX_IN_FLIGHT).' })
export class TenantLimitsInput {
  @Nullable(Int, 'QUEUED + RUNNING training runs at once (QUOTA_CONCURRENT_RUNS). 1 to 10,000.')
  maxConcurrentRuns?: number | null;

  @Nullable(Int, 'Training runs RUNNING at once across every worker; the rest wait QUEUED while other tenants use the free slots (QUOTA_RUNNING_RUNS). 1 to 10,000.')
  maxRunningRuns?: number | null;

  @Nullable(Int, 'QUEUED + RUNNING batch predictions at once (QUOTA_CONCURRENT_BATCHES). 1 to 10,000.')
  maxConcurrentBatches?: number | null;

  @Nullable(Float, 'The storage quota, bytes: stored datasets, model artifacts and batch results together (QUOTA_DATASET_BYTES). A whole number from 1.')
  maxDatasetBytes?: number | null;

  @Nullable(Int, 'Rows predicted per minute (QUOTA_PREDICTIONS_PER_MINUTE). 1 to 2,000,000,000.')
  predictionsPerMinute?: number | null;

  @Nullable(Float, "Weights of one training run's network (TRAINING_MAX_PARAMETERS).")
  trainingMaxParameters?: number | null;

  @Nullable(Float, 'Activations of one training batch (TRAINING_MAX_ACTIVATIONS).')
  trainingMaxActivations?: number | null;

  @Nullable(Float, 'Estimated memory of one training run, bytes (TRAINING_MAX_MEMORY_BYTES).')
  trainingMaxMemoryBytes?: number | null;

  @Nullable(Float, 'Weights × rows × epochs of one training run (TRAINING_MAX_WORK).')
  trainingMaxWork?: number | null;

  @Nullable(
    Int,
    'Wall-clock seconds one training run may take; past it the run is ended, FAILED with TIME_LIMIT_EXCEEDED, and runs estimated past twice it are refused at start (TRAINING_MAX_RUN_SECONDS). 1 to 604,800.',
  )
  trainingMaxRunSeconds?: number | null;
  @Nullable(Int, 'Values one infer call (GraphQL or V2) may answer, summed over its outputs (INFER_MAX_OUTPUT_VALUES). 1 to 67,108,864.')
  inferMaxOutputValues?: number | null;

  @Nullable(
    Int,
    'HTTP requests this tenant may have in progress at once on one API process, counted before the body is read; past it 429 QUOTA_EXCEEDED, reason IN_FLIGHT (TENANT_MAX_IN_FLIGHT). 1 to 1,000,000.',
  )
  maxRequestsInFlight?: number | null;
}

/** A tenant's effective limits, and which of them are the global defaults. */
@ObjectType({ description: "A tenant's effective limits." })
export class TenantLimits {
  @Field(() => ID)
  tenantId!: string;

  @Field(() => Int)
  maxConcurrentRuns!: number;

  @Field(() => Int, { description: 'Training runs RUNNING at once across every worker.' })
  maxRunningRuns!: number;

  @Field(() => Int)
  maxConcurrentBatches!: number;

  @Field(() => Float, { description: 'The storage quota, bytes: datasets, model artifacts and batch results together (storage says what is used).' })
  maxDatasetBytes!: number;

  @Field(() => Int, { description: 'Rows (or model evaluations, for explain) per minute.' })
  predictionsPerMinute!: number;

  @Field(() => Float)
  trainingMaxParameters!: number;

  @Field(() => Float)
  trainingMaxActivations!: number;

  @Field(() => Float, { description: 'Bytes.' })
  trainingMaxMemoryBytes!: number;

  @Field(() => Float)
  trainingMaxWork!: number;

  @Field(() => Int, { description: 'Seconds of wall-clock time per training run.' })
  trainingMaxRunSeconds!: number;
  @Field(() => Int, { description: 'Values one infer call may answer, summed over its outputs.' })
  inferMaxOutputValues!: number;

  @Field(() => Int, { description: 'HTTP requests in progress at once on one API process.' })
  maxRequestsInFlight!: number;

  @Field(() => [String], { description: 'The fields above that are the global default (not set for this tenant).' })
  defaults!: string[];
}

/** What a tenant stores, bytes, against its storage quota (maxDatasetBytes): quotas/storage.ts. */
@ObjectType({
  description:
    'What your tenant stores, in bytes, against its storage quota (maxDatasetBytes); uploads, training runs and batch predictions that would pass it are refused with QUOTA_EXCEEDED (reason STORAGE).',
})
export class StorageUsage {
  @Field(() => Float, { description: 'Stored datasets (archived ones until purged).' }) datasetBytes!: number;
  @Field(() => Float, { description: "Model versions' artifacts: trained weights or trees, uploaded ONNX files." }) modelArtifactBytes!: number;
  @Field(() => Float, { description: 'Batch-prediction results (both CSVs); deleteBatchPrediction frees them.' }) batchResultBytes!: number;
  @Field(() => Float, { description: 'Batch predictions queued or running, at the estimate of what they will store.' }) pendingBatchResultBytes!: number;
  @Field(() => Float, { description: 'The sum: what the quota compares.' }) totalBytes!: number;
  @Field(() => Float, { description: 'The quota (maxDatasetBytes).' }) limitBytes!: number;
}
