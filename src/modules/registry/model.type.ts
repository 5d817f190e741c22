/**
 * GraphQL types of the model registry. Glossary: a *model* is a name under which versions
 * accumulate; a *model version* is one immutable trained artifact with its pipeline and test
 * metrics, produced by one training run; an alias points at one version.
 */
import { Node } from '../nodes/node.type';
import { BoundedJSONObject as GraphQLJSONObject } from '../common/json.scalar';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Entity, NamedEntity } from '../common/entity.type';
import { lowerCaseEnum, type EnumValue } from '../common/enum';
import { Nullable } from '../common/fields';
import { PERMUTATION_LIMITS } from '../../ml/permutation-importance';
import { OnnxModelInfo } from './onnx.type';
import { ModelStage } from './stage';
import './stage.type';

/** Test precision, recall and F1 of one class. */
@ObjectType({ description: 'Test metrics of one class.' })
export class ClassMetrics {
  @Field() label!: string;
  @Field(() => Float) precision!: number;
  @Field(() => Float) recall!: number;
  @Field(() => Float) f1!: number;
  @Field(() => Int, { description: 'Test rows of this class.' }) support!: number;
}

/** How many rows each split of a run received. */
@ObjectType({ description: 'Rows in each split.' })
export class SplitRows {
  @Field(() => Int) train!: number;
  @Field(() => Int) validation!: number;
  @Field(() => Int) test!: number;
}

/** The baseline ranking's metrics. */
@ObjectType({ description: 'A baseline ranking (popularity) and its precision@k and NDCG@k.' })
export class RankingBaseline {
  @Field({ description: "'popularity'" }) name!: string;
  @Field(() => Float) precision!: number;
  @Field(() => Float) ndcg!: number;
}

/** A recommender's top-k ranking metrics on the test split, and the popularity baseline's. */
@ObjectType({
  description:
    "Recommenders: top-k ranking metrics on the test split. Relevant = the user's test items rated ≥ relevantThreshold; candidates = every item the model knows except those the user rated in training; users with no relevant test item are not counted.",
})
export class RankingMetrics {
  @Field(() => Int, { description: 'The cut-off k (10).' }) k!: number;
  @Field(() => Float) relevantThreshold!: number;
  @Field(() => Int, { description: 'Test users counted.' }) users!: number;
  @Field(() => Float, { description: "The model's precision@k." }) precision!: number;
  @Field(() => Float, { description: "The model's NDCG@k." }) ndcg!: number;
  @Field(() => RankingBaseline, { description: 'Items ranked by their training ratings, scored the same way.' }) baseline!: RankingBaseline;
}

/** One point of a binary classifier's test ROC curve. */
@ObjectType({ description: "A point of a binary classifier's ROC curve on its test split." })
export class RocPoint {
  @Field(() => Float, { description: 'False positive rate, in [0, 1].' }) fpr!: number;
  @Field(() => Float, { description: 'True positive rate (recall), in [0, 1].' }) tpr!: number;
  @Field(() => Float, { description: 'The lowest P(positive class) called positive; the first point, (0, 0), calls no row positive (threshold 1).' })
  threshold!: number;
}

/** One class's one-vs-rest ROC curve (multiclass). */
@ObjectType({ description: "A multiclass classifier's one-vs-rest ROC curve for one class: P(class) as the score, 'is the class' as the positive label." })
export class ClassRocCurve {
  @Field({ description: 'The class, as in the version’s classes.' }) class!: string;
  @Field(() => Float, { description: "Area under this class's full curve (scikit-learn's roc_auc_score of the class against the rest)." }) auc!: number;
  @Field(() => [RocPoint], { description: 'One point per distinct score thinned to at most 101, from (0, 0) to (1, 1); threshold is P(class).' }) points!: RocPoint[];
}

/**
 * A regressor's test row: true and predicted value. `actual` is the stored target cell, so it is
 * shown only to a key with `datasets:read` (null otherwise: review F9); `predicted` is a model output.
 */
@ObjectType({ description: "A regressor's test row: its true value and the predicted one, in the target's units." })
export class ActualPredicted {
  @Nullable(Float, "The row's stored target value; null unless the caller's key has datasets:read (it is a cell of the dataset).")
  actual!: number | null;
  @Field(() => Float, { description: "The model's prediction for the row." }) predicted!: number;
}

/** Metrics of a version on its held-out test split; classification and regression fill different fields. */
@ObjectType({ description: 'Held-out test metrics of a version (classification or regression ones).' })
export class VersionMetrics {
  @Field({ description: 'binary, multiclass or regression' })
  task!: string;

  @Field(() => Int, { description: 'Rows in the test split.' })
  testRows!: number;

  @Nullable(Float, 'Classification: share of test rows predicted right.') accuracy?: number;
  @Nullable(Float, 'Binary: of the positive class; multiclass: macro.') precision?: number;
  @Nullable(Float) recall?: number;
  @Nullable(Float) f1?: number;
  @Nullable(Float, 'Binary only.') rocAuc?: number;
  @Nullable(Float, 'Classification: mean cross-entropy of the predicted probabilities.') logLoss?: number;
  @Nullable([[Int]], 'confusionMatrix[actual][predicted], in class order.') confusionMatrix?: number[][];
  @Nullable(Float, 'Mean over classes (macro average).') macroPrecision?: number;
  @Nullable(Float) macroRecall?: number;
  @Nullable(Float) macroF1?: number;
  @Nullable([ClassMetrics], 'Classification: per class, in class order.') perClass?: ClassMetrics[];
  @Nullable(Float, 'Regression: mean squared error.') mse?: number;
  @Nullable(Float, 'Regression: root mean squared error.') rmse?: number;
  @Nullable(Float, 'Regression: mean absolute error.') mae?: number;
  @Nullable(Float, 'Regression: coefficient of determination R².') r2?: number;
  @Nullable(RankingMetrics, 'Recommenders: precision@10 and NDCG@10, next to the popularity baseline.') ranking?: RankingMetrics;
  @Nullable(SplitRows) rows?: SplitRows;
  @Nullable(
    [RocPoint],
    'Binary: the ROC curve on the test split (an evaluation: on the rows evaluated), one point per distinct score thinned to at most 101, from (0, 0) to (1, 1). Null when it cannot be drawn: curvesUnavailableReason says why.',
  )
  rocCurve?: RocPoint[];
  @Nullable(
    [ClassRocCurve],
    'Multiclass: one-vs-rest ROC curves, one per class with test rows of it and of others, in class order (an evaluation: on the rows evaluated); null past 50 classes and for versions trained before they were recorded: curvesUnavailableReason says which.',
  )
  classRocCurves?: ClassRocCurve[];
  @Nullable(
    Float,
    "Multiclass: one-vs-rest macro ROC AUC, the mean of classRocCurves' AUCs (scikit-learn's roc_auc_score(multi_class='ovr', average='macro'); classes without rows of both kinds left out).",
  )
  ovrMacroAuc?: number;
  @Nullable(
    [ActualPredicted],
    "Regression: at most 200 test rows (spread evenly over the test split; an evaluation: over the rows evaluated), for predicted-vs-actual and residual plots. Each row's actual (a stored target cell) is null unless the caller's key has datasets:read. Null when not recorded: curvesUnavailableReason says why.",
  )
  testPredictions?: ActualPredicted[];
  @Nullable(Int, 'Early stopping: the epoch whose weights the version keeps (or the best seen).') bestEpoch?: number;
  @Nullable(Boolean, 'Early stopping: whether it ended training before spec.epochs.') stoppedEarly?: boolean;
}

/** How a version's feature importances were measured (ModelVersion.featureImportanceMethod). */
export const FeatureImportanceMethod = lowerCaseEnum('FeatureImportanceMethod', ['IMPURITY', 'PERMUTATION'], {
  description: 'How ModelVersion.featureImportances were measured.',
  valuesConfig: {
    IMPURITY: { description: "Trees: each input's share of the split gain (mean decrease in impurity), summing to 1 over the inputs." },
    PERMUTATION: {
      description: `Networks: permutation importance (Breiman 2001; scikit-learn's permutation_importance) — the mean drop of the test accuracy (classification) or R² (regression) when the input's column of the held-out rows is shuffled, over ${PERMUTATION_LIMITS.repeats} seeded shuffles of at most ${PERMUTATION_LIMITS.maxRows} test rows. Near 0 or below: the model does not rely on it.`,
    },
  },
});
export type FeatureImportanceMethod = EnumValue<typeof FeatureImportanceMethod>;

/** How much a model relies on one of its inputs. */
@ObjectType({ description: "How much the model relies on one model input; what the number means is the version's featureImportanceMethod." })
export class FeatureImportance {
  @Field({ description: "Model input, e.g. 'Glucose' or 'workclass=Private'." }) input!: string;
  @Field({ description: 'The feature column it comes from.' }) column!: string;
  @Field(() => Float, { description: 'IMPURITY: share of the split gain, in [0, 1]. PERMUTATION: mean drop of the test metric when the input is shuffled (can be ≤ 0).' })
  importance!: number;
  @Nullable(Float, 'PERMUTATION: standard deviation of the drop over the shuffles; null for IMPURITY.')
  std?: number | null;
}

/** A feature column a version takes, and what its preprocessing learned about it. */
@ObjectType({ description: 'A feature column the version takes, with what its pipeline learned on the training split.' })
export class FeatureInfo {
  @Field({ description: 'Column name, as in the training CSV.' })
  name!: string;

  @Field({ description: 'numeric, categorical, boolean, text or datetime' })
  type!: string;

  @Nullable(Float, 'Numeric: the training mean used to standardise (or to impute) it.')
  mean?: number;

  @Nullable(Float, 'Numeric: the training standard deviation used to standardise it.')
  std?: number;

  @Nullable(String, 'The value a missing input is replaced with, if imputed.')
  imputeValue?: string;

  @Nullable([String], 'One-hot: the known categories (others encode as all zeros).')
  categories?: string[];

  @Field(() => [String], { description: 'Cell values read as missing.' })
  missingCodes!: string[];

  @Field(() => [String], { description: "Pipeline steps applied, in order, e.g. ['impute', 'standardize']." })
  steps!: string[];

  @Field(() => [String], { description: 'Model inputs it yields.' })
  inputs!: string[];
}

/** The target column a version predicts, and its classes. */
@ObjectType()
export class TargetInfo {
  @Field({ description: 'The target column, as in the training CSV.' })
  name!: string;

  @Field({ description: 'binary, multiclass or regression' })
  task!: string;

  @Nullable([String], 'Classification: labels in output order.')
  classes?: string[];

  @Nullable(String, 'Suffix stripped from labels before training.')
  labelSuffix?: string;
}

/** One immutable trained model in the registry: its artifact format, pipeline, target and test metrics. */
@ObjectType({ description: 'An immutable trained model in the registry.', implements: Node })
export class ModelVersion extends Entity {
  @Field({ description: 'The model it is a version of.' })
  modelName!: string;

  @Field(() => Int, { description: '1, 2, 3 … per model.' })
  version!: number;

  @Field({ description: 'binary, multiclass or regression; an uploaded ONNX model: multiclass with labels, else tensor' })
  task!: string;

  @Field({ description: "Artifact format: 'tfjs-layers', 'decision-tree', 'random-forest', … or 'onnx' (an uploaded model)." })
  framework!: string;

  @Nullable(OnnxModelInfo, 'Uploaded ONNX models: the file, its declared inputs and outputs, and the uploaded metadata.')
  onnx?: OnnxModelInfo;

  @Nullable(ID, 'The training run that produced it.')
  trainingRunId!: string | null;

  @Field(() => [FeatureInfo], { description: 'Feature columns, in order. predict takes rows keyed by these names (other CSV columns are ignored).' })
  features!: FeatureInfo[];

  @Field(() => [String], { description: 'Model inputs after preprocessing, in order (one-hot and text columns yield several).' })
  inputs!: string[];

  @Field(() => GraphQLJSONObject, { description: 'The fitted preprocessing pipeline, as stored (applied again at predict time).' })
  preprocessing!: Record<string, unknown>;

  @Nullable(
    [FeatureImportance],
    'Importance of each model input: trees by impurity, networks on tabular data by permutation (featureImportanceMethod says which); null for other models.',
  )
  featureImportances?: FeatureImportance[];

  @Nullable(FeatureImportanceMethod, 'How featureImportances were measured: IMPURITY (trees) or PERMUTATION (networks); null when there are none.')
  featureImportanceMethod?: FeatureImportanceMethod | null;

  @Field(() => TargetInfo)
  target!: TargetInfo;

  @Field({ description: 'Whether any numeric feature is standardised.' })
  standardize!: boolean;

  @Field(() => VersionMetrics)
  metrics!: VersionMetrics;

  @Field(() => [String], {
    description:
      "Warnings found when it was published, each 'CODE: message': CONSTANT_PREDICTIONS, CHANCE_AUC (test ROC AUC within 0.02 of 0.5), NEGATIVE_R2, LOSS_TARGET_MISMATCH (a regression loss on a 0/1 target). Empty for a healthy model.",
  })
  warnings!: string[];

  @Field(() => ModelStage, { description: 'NONE, STAGING, PRODUCTION or ARCHIVED (transitionModelVersionStage); at most one PRODUCTION version per model.' })
  stage!: ModelStage;
}

/** A named model of a tenant: the series of versions its training runs produced. */
@ObjectType({ description: 'A named model: a series of versions.', implements: Node })
export class Model extends NamedEntity {
  @Field(() => [ModelVersion], { description: 'Newest first.' })
  versions!: ModelVersion[];

  @Nullable(ModelVersion, 'The newest version; null while the model has none.')
  latestVersion!: ModelVersion | null;
}
