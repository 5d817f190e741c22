/**
 * The convolutional family's part of the training spec: Keras' Conv2D, MaxPooling2D,
 * AveragePooling2D, Flatten, GlobalAveragePooling2D, Dropout, BatchNormalization and Dense layers,
 * a classification loss, the image normalisation and augmentation.
 */
import { badInput } from '../../../lib/errors';
import { normalizeEarlyStopping, range } from '../../spec-checks';
import { LIMITS, type LayerSpec, type SpecInput, type TrainingSpec } from '../../spec-types';
import { normalizeClassWeights } from '../network/spec';

/** Caps per field (with LIMITS): a 7×7 kernel and 1,024 filters are past what a 2-core WASM run trains in time. */
export const CNN_LIMITS = { maxFilters: 1024, maxKernelSize: 15, maxStrides: 8, maxPoolSize: 8, maxShift: 0.5, maxRotationDegrees: 45 };

/** The fields each layer type takes (besides `type`); any other set field is refused. */
const FIELDS: Record<LayerSpec['type'], readonly (keyof LayerSpec)[]> = {
  conv2d: ['filters', 'kernelSize', 'strides', 'padding', 'activation'],
  max_pooling2d: ['poolSize', 'strides', 'padding'],
  average_pooling2d: ['poolSize', 'strides', 'padding'],
  flatten: [],
  global_average_pooling2d: [],
  dense: ['units', 'activation', 'l1', 'l2'],
  dropout: ['rate'],
  batch_normalization: ['momentum', 'epsilon'],
};
const ALL_FIELDS = ['units', 'activation', 'inputDim', 'rate', 'l1', 'l2', 'momentum', 'epsilon', 'filters', 'kernelSize', 'strides', 'padding', 'poolSize'] as const;

function checkLayer(layer: LayerSpec, i: number): void {
  const at = `layers[${i}]`;
  const allowed = FIELDS[layer.type];
  if (!allowed) throw badInput(`spec.${at}.type '${String(layer.type)}' is not a layer of a convolutional network`);
  for (const f of ALL_FIELDS) {
    if (layer[f] != null && !allowed.includes(f)) throw badInput(`spec.${at}.${f} does not apply to a ${layer.type.toUpperCase()} layer`);
  }
  if (layer.type === 'conv2d') {
    if (layer.filters == null) throw badInput(`spec.${at}.filters is required for a CONV2D layer`);
    range(`${at}.filters`, layer.filters, 1, CNN_LIMITS.maxFilters);
    layer.kernelSize ??= 3;
    range(`${at}.kernelSize`, layer.kernelSize, 1, CNN_LIMITS.maxKernelSize);
    layer.strides ??= 1;
    layer.padding ??= 'valid';
    layer.activation ??= 'relu';
  }
  if (layer.type === 'max_pooling2d' || layer.type === 'average_pooling2d') {
    layer.poolSize ??= 2;
    range(`${at}.poolSize`, layer.poolSize, 1, CNN_LIMITS.maxPoolSize);
    layer.strides ??= layer.poolSize;
    layer.padding ??= 'valid';
  }
  if (layer.strides != null) range(`${at}.strides`, layer.strides, 1, CNN_LIMITS.maxStrides);
  if (layer.padding != null && layer.padding !== 'valid' && layer.padding !== 'same')
    throw badInput(`spec.${at}.padding must be VALID or SAME, got '${String(layer.padding).slice(0, 20)}'`);
  if (layer.type === 'dense') {
    if (layer.units == null) throw badInput(`spec.${at}.units is required for a DENSE layer`);
    range(`${at}.units`, layer.units, 1, LIMITS.maxUnits);
    if (layer.l1 != null) range(`${at}.l1`, layer.l1, 0, 10, false);
    if (layer.l2 != null) range(`${at}.l2`, layer.l2, 0, 10, false);
  }
  if (layer.type === 'dropout') {
    if (layer.rate == null) throw badInput(`spec.${at}.rate is required for a DROPOUT layer`);
    range(`${at}.rate`, layer.rate, 0, 0.99, false);
  }
  if (layer.type === 'batch_normalization') {
    if (layer.momentum != null) range(`${at}.momentum`, layer.momentum, 0, 1, false);
    if (layer.epsilon != null) range(`${at}.epsilon`, layer.epsilon, 1e-9, 1, false);
  }
}

/**
 * @throws AppError BAD_USER_INPUT naming the field: tree options, a loss that is not a
 *   classification loss, layers (unknown type, a field of another type, values out of range, no
 *   dense softmax output), optimizer, early stopping, class weights, augmentation.
 */
export function normalizeCnnSpec(input: SpecInput, spec: TrainingSpec): void {
  range('epochs', spec.epochs, 1, LIMITS.maxEpochs);
  if (input.tree) throw badInput('spec.tree is for tree models (DECISION_TREE, RANDOM_FOREST, GRADIENT_BOOSTING); set spec.model');
  // Column preprocessing is for tables: refused, not ignored (images have spec.imageNormalization).
  const pre = input.preprocessing;
  const tabular = pre?.steps?.length
    ? 'preprocessing.steps'
    : pre?.missingValues?.length
      ? 'preprocessing.missingValues'
      : pre?.labelSuffix
        ? 'preprocessing.labelSuffix'
        : pre?.standardizeTarget
          ? 'preprocessing.standardizeTarget'
          : input.standardize
            ? 'standardize'
            : undefined;
  if (tabular) throw badInput(`spec.${tabular} is for tabular data; CONVOLUTIONAL_NETWORK scales pixels with spec.imageNormalization`);
  spec.loss = input.loss ?? 'sparse_categorical_crossentropy';
  if (spec.loss !== 'sparse_categorical_crossentropy' && spec.loss !== 'categorical_crossentropy')
    throw badInput(`spec.loss ${String(spec.loss).toUpperCase()} is not for image classification; use SPARSE_CATEGORICAL_CROSSENTROPY or CATEGORICAL_CROSSENTROPY`);
  if (spec.task && spec.task !== 'multiclass') throw badInput(`spec.task is ${spec.task.toUpperCase()}; convolutional networks classify images (MULTICLASS)`);
  spec.task = 'multiclass';
  normalizeClassWeights(input, spec);
  if (spec.optimizer.learningRate != null) range('optimizer.learningRate', spec.optimizer.learningRate, 1e-9, 10, false);
  if (spec.optimizer.momentum != null) range('optimizer.momentum', spec.optimizer.momentum, 0, 1, false);
  if (input.earlyStopping) spec.earlyStopping = normalizeEarlyStopping(input.earlyStopping, spec);
  spec.imageNormalization = input.imageNormalization ?? 'scale';
  if (spec.imageNormalization !== 'scale' && spec.imageNormalization !== 'standardize')
    throw badInput(`spec.imageNormalization must be SCALE or STANDARDIZE, got '${String(spec.imageNormalization).slice(0, 20)}'`);
  if (input.augmentation) {
    const shift = input.augmentation.shift ?? 0;
    const rotationDegrees = input.augmentation.rotationDegrees ?? 0;
    range('augmentation.shift', shift, 0, CNN_LIMITS.maxShift, false);
    range('augmentation.rotationDegrees', rotationDegrees, 0, CNN_LIMITS.maxRotationDegrees, false);
    if (shift > 0 || rotationDegrees > 0) spec.augmentation = { shift, rotationDegrees };
  }
  if (spec.layers.length === 0) throw badInput('spec.layers must have at least one layer');
  if (spec.layers.length > LIMITS.maxLayers) throw badInput(`spec.layers has ${spec.layers.length} layers; at most ${LIMITS.maxLayers}`);
  spec.layers.forEach(checkLayer);
  const last = spec.layers.length - 1;
  if (spec.layers[last]!.type !== 'dense') throw badInput(`spec.layers[${last}] must be a DENSE output layer, got ${spec.layers[last]!.type.toUpperCase()}`);
  if (spec.layers[last]!.activation !== 'softmax')
    throw badInput(`spec.layers[${last}].activation must be SOFTMAX for loss ${spec.loss}, got ${String(spec.layers[last]!.activation ?? 'linear').toUpperCase()}`);
}
