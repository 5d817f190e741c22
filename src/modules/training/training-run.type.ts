import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ModelVersion } from '../registry/model.type';
import { RunStatus } from '../status';

export { RunStatus };
registerEnumType(RunStatus, { name: 'RunStatus' });

export enum ProgressKind {
  EPOCH = 'EPOCH',
  FINAL = 'FINAL',
}
registerEnumType(ProgressKind, { name: 'ProgressKind', description: 'EPOCH: one finished epoch. FINAL: the run ended.' });

@ObjectType({ description: 'Metrics of one epoch. Losses include regularisation penalties, as in Keras.' })
export class EpochMetric {
  @Field(() => Int, { description: '1-based.' })
  epoch!: number;

  @Field(() => Float)
  loss!: number;

  @Field(() => Float, { nullable: true })
  accuracy!: number | null;

  @Field(() => Float, { nullable: true })
  valLoss!: number | null;

  @Field(() => Float, { nullable: true })
  valAccuracy!: number | null;

  @Field(() => Float, { description: 'Wall time of the epoch, milliseconds.' })
  elapsedMs!: number;
}

@ObjectType({ description: 'One training job: queued, run by a worker, producing a model version.' })
export class TrainingRun {
  @Field(() => ID)
  id!: string;

  @Field(() => RunStatus)
  status!: RunStatus;

  @Field(() => ID)
  datasetId!: string;

  @Field()
  modelName!: string;

  @Field()
  targetColumn!: string;

  @Field(() => [String])
  featureColumns!: string[];

  @Field(() => GraphQLJSONObject, { description: 'The validated spec, with defaults filled in.' })
  spec!: object;

  @Field(() => Int)
  attempts!: number;

  @Field(() => String, { nullable: true })
  failureCode!: string | null;

  @Field(() => String, { nullable: true })
  failureMessage!: string | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  /** The worker that holds (or last held) the run; exposed as `workerId`. */
  leaseOwner?: string | null;
}

@ObjectType({ description: 'A training progress event.' })
export class TrainingProgress {
  @Field(() => ID)
  runId!: string;

  @Field(() => ProgressKind)
  kind!: ProgressKind;

  @Field(() => RunStatus)
  status!: RunStatus;

  @Field(() => Int, { nullable: true, description: 'EPOCH events: 1-based epoch.' })
  epoch?: number;

  @Field(() => Int, { nullable: true, description: 'Epochs the spec asks for.' })
  epochs?: number;

  @Field(() => Float, { nullable: true })
  loss?: number;

  @Field(() => Float, { nullable: true })
  accuracy?: number | null;

  @Field(() => Float, { nullable: true })
  valLoss?: number | null;

  @Field(() => Float, { nullable: true })
  valAccuracy?: number | null;

  @Field(() => Float, { nullable: true, description: 'Wall time of the epoch, milliseconds.' })
  elapsedMs?: number;

  @Field(() => String, { nullable: true })
  failureCode?: string | null;

  @Field(() => String, { nullable: true })
  failureMessage?: string | null;

  /** Id of the version a SUCCEEDED run created; resolved to `modelVersion`. */
  modelVersionId?: string | null;

  @Field(() => ModelVersion, { nullable: true, description: 'FINAL events of a SUCCEEDED run: the new version.' })
  modelVersion?: ModelVersion | null;

  @Field(() => Float, { nullable: true, description: 'When the worker published the event, ms since 1970 (UTC).' })
  emittedAt?: number;

  @Field(() => Boolean, { nullable: true, description: 'True for epochs that had finished before this subscription and are replayed from storage.' })
  replayed?: boolean;
}
