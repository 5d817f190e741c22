/**
 * The enums of a training spec. Each value carries the Keras / scikit-learn name (`BINARY_CROSSENTROPY`
 * arrives as 'binary_crossentropy'), so src/ml/spec.ts sees those terms and the TypeScript types
 * below are unions of them.
 */
import { FAMILIES, MODEL_KINDS, type ModelKind as Kind } from '../../ml/families/registry';
import { lowerCaseEnum, type EnumValue } from '../common/enum';

/** Which model family a run trains: one value per registered family, described by the family. */
export const ModelKind = lowerCaseEnum(
  'ModelKind',
  MODEL_KINDS.map((kind) => kind.toUpperCase() as Uppercase<Kind>),
  {
    description: 'The model family a training run trains (one per registered family).',
    valuesConfig: Object.fromEntries(MODEL_KINDS.map((kind) => [kind.toUpperCase(), { description: FAMILIES[kind].description }])),
  },
);
export type ModelKind = EnumValue<typeof ModelKind>;

/** What the target is. */
export const TaskKind = lowerCaseEnum('Task', ['BINARY', 'MULTICLASS', 'REGRESSION'], {
  description: 'What the target is: two classes, several classes, or a number.',
});
export type TaskKind = EnumValue<typeof TaskKind>;

/** A network layer, as the Keras layer of that name. */
export const LayerType = lowerCaseEnum('LayerType', [
  'DENSE',
  'DROPOUT',
  'BATCH_NORMALIZATION',
  'CONV2D',
  'MAX_POOLING2D',
  'AVERAGE_POOLING2D',
  'FLATTEN',
  'GLOBAL_AVERAGE_POOLING2D',
]);
export type LayerType = EnumValue<typeof LayerType>;

/** Padding of a convolution or pooling layer (Keras names). */
export const Padding = lowerCaseEnum('Padding', ['VALID', 'SAME'], { description: 'VALID: no padding; SAME: output size = ceil(input / strides).' });
export type Padding = EnumValue<typeof Padding>;

/** How an image model scales its pixels. */
export const ImageNormalization = lowerCaseEnum('ImageNormalization', ['SCALE', 'STANDARDIZE'], {
  description: 'SCALE: pixels / 255. STANDARDIZE: (pixel - mean) / std per channel, from the training split. Stored with the version and applied at prediction.',
});
export type ImageNormalization = EnumValue<typeof ImageNormalization>;

/** A dense layer's activation (Keras names). */
export const Activation = lowerCaseEnum('Activation', ['RELU', 'SIGMOID', 'TANH', 'SOFTMAX', 'LINEAR']);
export type Activation = EnumValue<typeof Activation>;

/** A network's loss (Keras names). */
export const Loss = lowerCaseEnum(
  'Loss',
  ['BINARY_CROSSENTROPY', 'CATEGORICAL_CROSSENTROPY', 'SPARSE_CATEGORICAL_CROSSENTROPY', 'MEAN_SQUARED_ERROR', 'MEAN_ABSOLUTE_ERROR', 'HUBER'],
  { description: 'Keras loss names.' },
);
export type Loss = EnumValue<typeof Loss>;

/** A network's optimiser (Keras names). */
export const OptimizerName = lowerCaseEnum('OptimizerName', ['ADAM', 'SGD', 'RMSPROP']);
export type OptimizerName = EnumValue<typeof OptimizerName>;

/** A metric reported per epoch (Keras names). */
export const MetricName = lowerCaseEnum('MetricName', ['ACCURACY', 'MSE', 'MAE', 'AUC'], {
  description: 'Metrics recorded every epoch, on the training and validation splits. AUC: ROC AUC, binary classification only.',
});
export type MetricName = EnumValue<typeof MetricName>;

/** The metric early stopping watches. */
export const Monitor = lowerCaseEnum('Monitor', ['VAL_LOSS', 'VAL_ACCURACY', 'LOSS', 'ACCURACY'], {
  description: 'Metric watched by early stopping (VAL_* need validationSplit > 0).',
});
export type Monitor = EnumValue<typeof Monitor>;

/** A preprocessing step (scikit-learn transformer names, snake case). */
export const PreprocessOp = lowerCaseEnum('PreprocessOp', ['IMPUTE', 'CLIP', 'STANDARDIZE', 'MIN_MAX_SCALE', 'ONE_HOT', 'BUCKETIZE', 'TOKEN_COUNTS', 'TF_IDF', 'TOKEN_SEQUENCE']);
export type PreprocessOp = EnumValue<typeof PreprocessOp>;

/** How IMPUTE fills a missing value (scikit-learn SimpleImputer strategies). */
export const ImputeStrategy = lowerCaseEnum('ImputeStrategy', ['MEAN', 'MEDIAN', 'MOST_FREQUENT', 'CONSTANT']);
export type ImputeStrategy = EnumValue<typeof ImputeStrategy>;

/** How CLIP finds its bounds. */
export const ClipMethod = lowerCaseEnum('ClipMethod', ['QUANTILE', 'Z_SCORE']);
export type ClipMethod = EnumValue<typeof ClipMethod>;
