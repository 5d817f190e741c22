/**
 * GraphQL types of sweeps. Glossary: a *sweep* tries configurations of one base spec; a *trial*
 * is one configuration trained as one ordinary training run (visible among the runs); its
 * *objective* is a test metric of the version that run produced.
 */
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BoundedJSON, BoundedJSONObject } from '../common/json.scalar';
import { Entity } from '../common/entity.type';
import { Nullable } from '../common/fields';
import { connectionOf } from '../common/connection.type';
import { RunStatus } from '../common/job.type';
import { Node } from '../nodes/node.type';
import { OBJECTIVE_METRICS } from './objective';

/** How a sweep picks its trials. */
export enum SweepStrategy {
  GRID = 'GRID',
  RANDOM = 'RANDOM',
  SUCCESSIVE_HALVING = 'SUCCESSIVE_HALVING',
}
registerEnumType(SweepStrategy, {
  name: 'SweepStrategy',
  description:
    "GRID: every combination of the listed values. RANDOM: budget.maxTrials configurations drawn from the seed (values picked uniformly, ranges uniform or log-uniform). SUCCESSIVE_HALVING: those configurations (the grid when every dimension lists values) trained for halving.minEpochs epochs, then the best 1/eta of each rung trained again from scratch with eta times the epochs, up to the base spec's epochs.",
});

/** Whether larger or smaller is better. */
export enum ObjectiveDirection {
  MAXIMIZE = 'MAXIMIZE',
  MINIMIZE = 'MINIMIZE',
}
registerEnumType(ObjectiveDirection, { name: 'ObjectiveDirection' });

/** The objective metrics: test metrics of a version. */
export const SweepMetric = Object.fromEntries(OBJECTIVE_METRICS.map((m) => [m, m])) as { [K in (typeof OBJECTIVE_METRICS)[number]]: K };
registerEnumType(SweepMetric, {
  name: 'SweepMetric',
  description:
    "A test metric of the trial's version (ModelVersion.metrics). While a trial trains, its last epoch stands in: ACCURACY → valAccuracy (else accuracy), LOG_LOSS → valLoss (else loss), MSE/RMSE/MAE/ROC_AUC → the spec's MSE/MAE/AUC epoch metrics; F1, PRECISION, RECALL and R2 have none.",
});

/** Where a trial is. */
export enum SweepTrialStatus {
  PENDING = 'PENDING',
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
  STOPPED_EARLY = 'STOPPED_EARLY',
}
registerEnumType(SweepTrialStatus, {
  name: 'SweepTrialStatus',
  description:
    'PENDING: no run yet. QUEUED, RUNNING: its run is. SUCCEEDED, FAILED, CANCELLED: how its run ended. STOPPED_EARLY: its run was cancelled by the median stopping rule (its best epoch so far was worse than the median of the finished trials of its rung at the same epoch, once 3 had finished).',
});

/** A sweep's objective. */
@ObjectType()
export class SweepObjective {
  @Field(() => SweepMetric) metric!: string;
  @Field(() => ObjectiveDirection) direction!: ObjectiveDirection;
}

/** One trial on the leaderboard. */
@ObjectType({ description: 'One configuration of a sweep trained as one training run, ranked.' })
export class SweepTrial {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: '1 = best: later rungs first (they trained longer), then by objective; trials without an objective last.' })
  rank!: number;
  @Field(() => Int, { description: '0-based order in which the trial was created.' }) index!: number;
  @Field(() => Int, { description: 'Which configuration (a configuration keeps its number across rungs).' }) config!: number;
  @Field(() => Int, { description: 'SUCCESSIVE_HALVING rung (0 first); 0 otherwise.' }) rung!: number;
  @Field(() => BoundedJSONObject, { description: 'The value of each space path, e.g. { "optimizer.learningRate": 0.01 }.' }) params!: Record<string, unknown>;
  @Nullable(Int, 'Epochs it trains.') epochs!: number | null;
  @Field(() => Int, { description: 'Epochs its run has reported.' }) epochsDone!: number;
  @Field(() => SweepTrialStatus) status!: SweepTrialStatus;
  @Nullable(Float, "The objective: the version's test metric once SUCCEEDED (final), else the last epoch's stand-in.") objective!: number | null;
  @Field({ description: "Whether objective is the version's test metric." }) final!: boolean;
  @Nullable(ID, 'Its training run, once started.') trainingRunId!: string | null;
  @Nullable(ID, 'The version its run produced.') modelVersionId!: string | null;
  @Nullable(String) failureMessage!: string | null;
  @Nullable(Date) finishedAt!: Date | null;
}

/** A hyperparameter sweep. */
@ObjectType({ description: 'A hyperparameter sweep: trials of one base spec over a search space, each an ordinary training run.', implements: Node })
export class Sweep extends Entity {
  @Field(() => RunStatus, { description: 'RUNNING until every trial ended, then SUCCEEDED (bestVersion set) or FAILED (no trial succeeded); CANCELLED by cancelSweep.' })
  status!: RunStatus;
  @Field(() => SweepStrategy) strategy!: SweepStrategy;
  @Field(() => ID) datasetId!: string;
  @Field({ description: 'The registry model every trial adds a version to.' }) modelName!: string;
  @Field() targetColumn!: string;
  @Field(() => [String]) featureColumns!: string[];
  @Field(() => BoundedJSONObject, { description: 'The base spec as sent.' }) baseSpec!: Record<string, unknown>;
  @Field(() => BoundedJSON, { description: 'The search space as sent.' }) space!: unknown;
  @Field(() => SweepObjective) objective!: SweepObjective;
  @Field(() => Int) maxTrials!: number;
  @Field(() => Int) maxConcurrent!: number;
  @Nullable(Int) seed!: number | null;
  @Nullable(Int, 'SUCCESSIVE_HALVING: the reduction factor.') eta!: number | null;
  @Nullable(Int, 'SUCCESSIVE_HALVING: epochs of the first rung.') minEpochs!: number | null;
  @Field() earlyStop!: boolean;
  @Nullable(ID, 'The best trial, once SUCCEEDED.') bestTrialId!: string | null;
  @Nullable(ID, "The best trial's version, once SUCCEEDED.") bestVersionId!: string | null;
  @Nullable(String) failureMessage!: string | null;
  @Nullable(Date) finishedAt!: Date | null;
}

/** A sweep's ranked trials at one moment. */
@ObjectType({ description: "A sweep's state and its trials ranked, best first." })
export class SweepLeaderboard {
  @Field(() => Sweep) sweep!: Sweep;
  @Field(() => [SweepTrial]) trials!: SweepTrial[];
}

/** A page of sweeps (Relay). */
export const SweepConnection = connectionOf('Sweep', Sweep);
