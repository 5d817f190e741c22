/** GraphQL types of evaluations (evaluateModelVersion): their state and metrics. */
import { Node } from '../nodes/node.type';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { RunStatus } from '../common/job.type';
import { Nullable } from '../common/fields';
import { VersionMetrics } from './model.type';

/** One bin of the reliability table. */
@ObjectType({ description: 'A bin of the reliability (calibration) table: predicted probabilities in [lower, upper).' })
export class CalibrationBin {
  @Field(() => Float) lower!: number;
  @Field(() => Float, { description: 'Exclusive, except 1 for the last bin.' }) upper!: number;
  @Nullable(Float, 'Mean predicted probability of its rows; null when empty.') meanPredicted!: number | null;
  @Nullable(Float, 'Binary: share of its rows that are positive; multiclass: share whose top class is right. Null when empty.') observedRate!: number | null;
  @Field(() => Int, { description: 'Rows in the bin.' }) count!: number;
}

/** Binary metrics at the evaluation's threshold. */
@ObjectType({ description: 'Binary classifiers: metrics when a row is positive from the threshold on.' })
export class ThresholdMetrics {
  @Field(() => Float) threshold!: number;
  @Field(() => Float, { description: 'Of the positive class.' }) precision!: number;
  @Field(() => Float) recall!: number;
  @Field(() => Float) f1!: number;
  @Field(() => Float) accuracy!: number;
  @Field(() => [[Int]], { description: 'confusionMatrix[actual][predicted], negative class first.' }) confusionMatrix!: number[][];
}

/** The metrics of an evaluation. */
@ObjectType({ description: "A version's metrics on an evaluation dataset: the test-metric fields (testRows = rows evaluated), plus the classifier extras." })
export class EvaluationMetrics extends VersionMetrics {
  @Nullable(Float, 'Classifiers: average precision (PR AUC; multiclass: one-vs-rest macro mean).') prAuc?: number;
  @Nullable(Float, 'Classifiers: Brier score (binary: mean (p - y)², in [0, 1]; multiclass: mean Σ_k (p_k - y_k)², in [0, 2]).') brier?: number;
  @Nullable([CalibrationBin], 'Classifiers: 10 equal-width bins of the predicted probability (binary: of the positive class; multiclass: of the top class).')
  calibration?: CalibrationBin[];
  @Nullable(ThresholdMetrics, 'Binary: metrics at the chosen threshold.') atThreshold?: ThresholdMetrics;
  @Field(() => Int, { description: 'Rows skipped for a missing target value.' }) skippedRows!: number;
}

/** A version scored on another dataset, as a job. */
@ObjectType({ description: 'A model version evaluated on a labelled dataset with its columns (evaluateModelVersion), as a job.', implements: Node })
export class ModelEvaluation {
  @Field(() => ID) id!: string;
  @Field(() => ID) modelVersionId!: string;
  @Nullable(ID, 'The dataset evaluated on; null once it is deleted.') datasetId!: string | null;
  @Field(() => Float, { description: 'Binary: the probability from which a row is positive.' }) threshold!: number;
  @Field(() => RunStatus, { description: 'QUEUED, RUNNING, SUCCEEDED or FAILED.' }) status!: RunStatus;
  @Nullable(EvaluationMetrics, 'Once SUCCEEDED.') metrics!: EvaluationMetrics | null;
  @Nullable(String, "Once FAILED: e.g. BAD_USER_INPUT (the dataset lacks the version's columns, or has labels it does not know).") failureCode!: string | null;
  @Nullable(String) failureMessage!: string | null;
  @Field({ description: "Who started it: 'user', 'apiKey' or 'system'." }) startedByKind!: string;
  @Field() startedById!: string;
  @Field() createdAt!: Date;
  @Nullable(Date) startedAt!: Date | null;
  @Nullable(Date) finishedAt!: Date | null;
}
