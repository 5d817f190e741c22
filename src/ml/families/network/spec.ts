/**
 * The network family's part of the training spec: layers, loss, optimizer, early stopping and
 * class weights (Keras' `Sequential`, `compile`, `fit(class_weight=)`, `callbacks.EarlyStopping`).
 */
import { badInput } from '../../../lib/errors';
import { normalizeEarlyStopping, plain, range } from '../../spec-checks';
import { LIMITS, LOSS_TASK, type SpecInput, type TrainingSpec } from '../../spec-types';

/**
 * @throws AppError BAD_USER_INPUT naming the field: epochs out of range, tree options, a missing
 *   loss, a task the loss contradicts, optimizer values, early stopping, class weights, layers.
 */
export function normalizeNetworkSpec(input: SpecInput, spec: TrainingSpec): void {
  range('epochs', spec.epochs, 1, LIMITS.maxEpochs);
  spec.loss = input.loss ?? undefined;
  normalizeClassWeights(input, spec);
  if (input.imageNormalization || input.augmentation)
    throw badInput(`spec.${input.imageNormalization ? 'imageNormalization' : 'augmentation'} is for image models (CONVOLUTIONAL_NETWORK); set spec.model`);
  if (input.tree) throw badInput('spec.tree is for tree models (DECISION_TREE, RANDOM_FOREST, GRADIENT_BOOSTING); set spec.model');
  if (input.text && spec.model !== 'text_classifier') throw badInput('spec.text is for TEXT_CLASSIFIER models; set spec.model');
  if (!spec.loss) throw badInput('spec.loss is required for a neural network');
  if (spec.task && spec.task !== LOSS_TASK[spec.loss]) {
    throw badInput(`spec.task is ${spec.task.toUpperCase()} but loss ${spec.loss} is for ${LOSS_TASK[spec.loss].toUpperCase()} targets`);
  }
  if (spec.optimizer.learningRate != null) range('optimizer.learningRate', spec.optimizer.learningRate, 1e-9, 10, false);
  if (spec.optimizer.momentum != null) range('optimizer.momentum', spec.optimizer.momentum, 0, 1, false);
  if (input.earlyStopping) spec.earlyStopping = normalizeEarlyStopping(input.earlyStopping, spec);
  checkLayers(spec);
}

/** Class weights or balanced classes (Keras class_weight); shared with the convolutional family. */
export function normalizeClassWeights(input: SpecInput, spec: TrainingSpec): void {
  if (!input.classWeights?.length && !input.balanceClasses) return;
  if (input.classWeights?.length && input.balanceClasses) throw badInput('spec.classWeights and spec.balanceClasses exclude each other; give one');
  input.classWeights?.forEach((w, i) => range(`classWeights[${i}].weight`, w.weight, 1e-6, 1e6, false));
  if (input.classWeights?.length) spec.classWeights = plain(input.classWeights);
  if (input.balanceClasses) spec.balanceClasses = true;
}

/** Which fields belong to which layer type: a field of another type is refused, not ignored. */
const LAYER_FIELDS = [
  ['dense', 'dense', ['units', 'activation', 'l1', 'l2']],
  ['dropout', 'dropout', ['rate']],
  ['batch_normalization', 'batch normalization', ['momentum', 'epsilon']],
] as const;

function checkLayers(spec: TrainingSpec): void {
  if (spec.layers.length === 0) throw badInput('spec.layers must have at least one layer');
  if (spec.layers.length > LIMITS.maxLayers) throw badInput(`spec.layers has ${spec.layers.length} layers; at most ${LIMITS.maxLayers}`);
  spec.layers.forEach((layer, i) => {
    const at = `layers[${i}]`;
    if (!LAYER_FIELDS.some(([type]) => type === layer.type))
      throw badInput(`spec.${at}.type ${String(layer.type).toUpperCase()} is for image models (CONVOLUTIONAL_NETWORK); set spec.model`);
    for (const f of ['filters', 'kernelSize', 'strides', 'padding', 'poolSize'] as const) {
      if (layer[f] != null) throw badInput(`spec.${at}.${f} is for convolutional networks (CONVOLUTIONAL_NETWORK); set spec.model`);
    }
    if (layer.type === 'dense') {
      if (layer.units == null) throw badInput(`spec.${at}.units is required for a dense layer`);
      range(`${at}.units`, layer.units, 1, LIMITS.maxUnits);
      if (layer.l1 != null) range(`${at}.l1`, layer.l1, 0, 10, false);
      if (layer.l2 != null) range(`${at}.l2`, layer.l2, 0, 10, false);
    } else if (layer.type === 'dropout') {
      if (layer.rate == null) throw badInput(`spec.${at}.rate is required for a dropout layer`);
      range(`${at}.rate`, layer.rate, 0, 0.99, false);
    } else if (layer.type === 'batch_normalization') {
      if (layer.momentum != null) range(`${at}.momentum`, layer.momentum, 0, 1, false);
      if (layer.epsilon != null) range(`${at}.epsilon`, layer.epsilon, 1e-9, 1, false);
    }
    for (const [type, name, fields] of LAYER_FIELDS) {
      if (layer.type === type) continue;
      for (const f of fields) {
        if (layer[f] != null) throw badInput(`spec.${at}.${f} is for ${name} layers; layer ${i} is ${layer.type.toUpperCase()}`);
      }
    }
    if (layer.inputDim != null && i > 0) throw badInput(`spec.${at}.inputDim is only allowed on the first layer`);
  });
  const last = spec.layers[spec.layers.length - 1];
  if (last.type !== 'dense') throw badInput(`spec.layers[${spec.layers.length - 1}] must be a dense output layer, got '${last.type}'`);
}
