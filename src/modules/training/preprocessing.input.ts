/**
 * Spec inputs of the preprocessing pipeline: steps fitted on the training split and stored with
 * the version, so predict applies them again (scikit-learn transformers, snake-case names).
 */
import { Field, Float, InputType, Int } from 'type-graphql';
import { MissingValuesInput } from '../datasets/dataset.type';
import { Nullable } from '../common/fields';
import { ClipMethod, ImputeStrategy, PreprocessOp } from './spec-enums';

/** One preprocessing step; each option names the ops that read it. */
@InputType({ description: 'One preprocessing step; fields other than op and columns apply to some ops only.' })
export class PreprocessStepInput {
  @Field(() => PreprocessOp)
  op!: PreprocessOp;

  @Nullable([String], 'Feature columns; default: every column of the types the op takes by default.')
  columns?: string[];

  @Nullable(ImputeStrategy, 'IMPUTE. (Default: MEAN)')
  strategy?: ImputeStrategy;

  @Nullable(String, "IMPUTE CONSTANT: the value. (Default: 0, or 'missing')")
  fillValue?: string;

  @Nullable(ClipMethod, 'CLIP. (Default: QUANTILE)')
  method?: ClipMethod;

  @Nullable(Float, 'CLIP QUANTILE: lower quantile. (Default: 0.01)')
  lower?: number;

  @Nullable(Float, 'CLIP QUANTILE: upper quantile. (Default: 0.99)')
  upper?: number;

  @Nullable(Float, 'CLIP Z_SCORE: bounds at mean ± threshold · std. (Default: 3)')
  threshold?: number;

  @Nullable(Int, 'BUCKETIZE: number of quantile buckets. (Default: 5)')
  bins?: number;

  @Nullable([Float], 'BUCKETIZE: explicit ascending boundaries instead of bins.')
  boundaries?: number[];

  @Nullable(Int, 'ONE_HOT: most frequent categories kept; others encode as all zeros. (Default: 50)')
  maxCategories?: number;

  @Nullable(Int, 'TOKEN_COUNTS, TF_IDF: vocabulary size. (Default: 100) TOKEN_SEQUENCE: vocabulary size, the most frequent tokens of the training split. (Default: 5000)')
  maxTokens?: number;

  @Nullable(Int, 'TOKEN_SEQUENCE: tokens per text, padded or truncated (keeps the first ones). (Default: 64)')
  sequenceLength?: number;
}

/** The whole preprocessing of a spec: steps, extra missing-value codes and target handling. */
@InputType({ description: 'Preprocessing, fitted on the training split and stored with the version.' })
export class PreprocessingInput {
  @Nullable([PreprocessStepInput], 'Steps in order. Default: impute (mean / most frequent), one-hot categoricals, TF-IDF text, standardise numerics (if standardize).')
  steps?: PreprocessStepInput[];

  @Nullable([MissingValuesInput], 'Missing-value codes, added to those declared at upload.')
  missingValues?: MissingValuesInput[];

  @Field({ defaultValue: true, description: 'Drop training rows whose target is missing (otherwise they are an error).' })
  dropMissingTarget!: boolean;

  @Nullable(String, "Stripped from the end of target labels, e.g. '.' for UCI Adult's test file.")
  labelSuffix?: string;

  @Nullable(Boolean, "Regression networks: train on the target standardised with the training split's mean and std (epoch losses in those units); outputs are mapped back.")
  standardizeTarget?: boolean;
}
