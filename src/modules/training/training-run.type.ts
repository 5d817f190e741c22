/**
 * GraphQL types of training runs. Glossary: a *training run* is one job that fits a spec on a
 * dataset; when it SUCCEEDS it adds one *model version* to the registry (registry/model.type.ts).
 */
import { Node } from '../nodes/node.type';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BoundedJSONObject as GraphQLJSONObject } from '../common/json.scalar';
import { Nullable } from '../common/fields';
import { Job, RunStatus } from '../common/job.type';
import { ModelVersion } from '../registry/model.type';

export { RunStatus };

/** The kind of a training progress event. */
export enum ProgressKind {
  EPOCH = 'EPOCH',
  PROGRESS = 'PROGRESS',
  REQUEUED = 'REQUEUED',
  FINAL = 'FINAL',
}
registerEnumType(ProgressKind, {
  name: 'ProgressKind',
  description:
    "EPOCH: one finished epoch (a boosting round). PROGRESS: a step inside a fit that has no epoch yet (a random forest's trees; not stored, not replayed). REQUEUED: the run went back to the queue (it gave its training slot to another tenant that was waiting with nothing running, or its worker shut down); its epochs so far are dropped and it starts over from epoch 1 when a slot is free, with a new EPOCH stream. FINAL: the run ended.",
});

/** Metrics an epoch may report besides its loss (null when the spec does not track them). */
@ObjectType()
abstract class EpochScores {
  @Nullable(Float, 'Training accuracy (classification with the ACCURACY metric).')
  accuracy?: number | null;

  @Nullable(Float, 'Loss on the validation split (validationSplit > 0).')
  valLoss?: number | null;

  @Nullable(Float, 'Accuracy on the validation split.')
  valAccuracy?: number | null;

  @Nullable(GraphQLJSONObject, "Every other metric the spec's `metrics` asks for, by Keras name, training and validation (e.g. { mae: 0.41, val_mae: 0.44 }).")
  metrics?: Record<string, number> | null;
}

/** The stored metrics of one finished epoch. */
@ObjectType({ description: 'Metrics of one epoch. Losses include regularisation penalties, as in Keras.' })
export class EpochMetric extends EpochScores {
  @Field(() => Int, { description: '1-based.' })
  epoch!: number;

  @Field(() => Float, { description: 'Training loss.' })
  loss!: number;

  @Field(() => Float, { description: 'Wall time of the epoch, milliseconds.' })
  elapsedMs!: number;
}

/** One training job of a tenant: what it fits on which dataset, its status, and the version it produces. */
@ObjectType({ description: 'One training job: queued, run by a worker, producing a model version.', implements: Node })
export class TrainingRun extends Job {
  @Field(() => ID, { description: 'The dataset it trains on.' })
  datasetId!: string;

  @Field({ description: 'Registry model the new version is added to.' })
  modelName!: string;

  @Field({ description: 'The label column.' })
  targetColumn!: string;

  @Field(() => [String], { description: 'Feature columns, in order.' })
  featureColumns!: string[];

  @Field(() => GraphQLJSONObject, { description: 'The validated spec, with defaults filled in.' })
  spec!: object;

  @Field(() => Int, { description: 'Times a worker has started it (retries after a lost worker count again).' })
  attempts!: number;

  @Field(() => Int, {
    description: 'Times it gave its training slot back to another tenant that was waiting (REQUEUED events; TRAINING_PREEMPT_AFTER_SECONDS). Not counted in `attempts`.',
  })
  preemptions!: number;

  @Nullable(Date, 'When a worker started it.')
  startedAt!: Date | null;

  /** The worker that holds (or last held) the run; exposed as `workerId`. */
  leaseOwner?: string | null;
}

/** An event of the trainingProgress subscription: one per finished epoch, then a FINAL one. */
@ObjectType({ description: 'A training progress event.' })
export class TrainingProgress extends EpochScores {
  @Field(() => ID)
  runId!: string;

  @Field(() => ProgressKind)
  kind!: ProgressKind;

  @Field(() => RunStatus)
  status!: RunStatus;

  @Nullable(Int, 'EPOCH events: 1-based epoch.')
  epoch?: number;

  @Nullable(Int, 'Epochs the spec asks for.')
  epochs?: number;

  @Nullable(Float, 'EPOCH events: training loss.')
  loss?: number;

  @Nullable(Float, 'Wall time of the epoch, milliseconds.')
  elapsedMs?: number;

  @Nullable(Int, 'PROGRESS events: steps done, 1-based (e.g. trees built).')
  step?: number;

  @Nullable(Int, 'PROGRESS events: steps the fit takes at most.')
  steps?: number;

  @Nullable(String, "PROGRESS events: what a step is ('tree').")
  stepUnit?: string;

  @Nullable(Float, 'EPOCH and PROGRESS events of a live run: seconds left at the pace so far (elapsed on the worker ÷ done × left).')
  etaSeconds?: number | null;

  @Nullable(String, 'FINAL events of a FAILED run: an error code.')
  failureCode?: string | null;

  @Nullable(String, 'FINAL events of a FAILED run: what went wrong.')
  failureMessage?: string | null;

  @Nullable(String, 'REQUEUED events: why the run went back to the queue.')
  reason?: string | null;

  /** Id of the version a SUCCEEDED run created; resolved to `modelVersion`. */
  modelVersionId?: string | null;

  @Nullable(ModelVersion, 'FINAL events of a SUCCEEDED run: the new version.')
  modelVersion?: ModelVersion | null;

  @Nullable(Float, 'When the worker published the event, ms since 1970 (UTC).')
  emittedAt?: number;

  @Nullable(Boolean, 'True for epochs that had finished before this subscription and are replayed from storage.')
  replayed?: boolean;
}
