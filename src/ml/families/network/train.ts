/**
 * The training loop: one epoch at a time (./train-epoch.ts: `model.fit`'s figures without its
 * per-batch overhead) on rows reshuffled with a seeded permutation (Keras shuffles every epoch too;
 * tfjs' own shuffle uses Math.random, which cannot be seeded). The optimizer's state lives on the
 * model, so consecutive epochs equal one long fit.
 * Early stopping and class weights follow Keras (`callbacks.EarlyStopping`, `fit(class_weight=)`).
 */
import { badInput } from '../../../lib/errors';
import type { PreparedData, SplitData } from '../../prepare';
import { permutation, rng } from '../../random';
import type { EarlyStoppingSpec, TrainingSpec } from '../../spec-types';
import { tf } from '../../tf';
import type { EpochCallback, EpochResult, StopSignal } from '../model-family';
import { epochAuc } from './epoch-auc';
import { trainEpoch, validationLogs, type EpochInput, type EpochLogs } from './train-epoch';
import { hostOptimizerFor } from './host-optimizer';
import { jsTrainerFor, type JsTrainer } from './js-train';
import { requireFiniteWeights } from './finite-weights';

export interface TrainingOutcome {
  epochs: EpochResult[];
  /** Early stopping: the epoch whose weights the model keeps (restoreBestWeights) or the best one seen. */
  bestEpoch?: number;
  /** Early stopping: set when it ended training before spec.epochs. */
  stoppedEarly?: boolean;
}

/** Labels [rows] as trained on: scaled by the target's scale (regression), else as they are (class indices, values). */
function scaledLabels(y: Float32Array, scale?: { mean: number; std: number }): Float32Array {
  return scale ? y.map((v) => (v - scale.mean) / scale.std) : y;
}

/** Labels [rows] -> y tensor: one-hot [rows, classes] for categorical_crossentropy, else [rows, 1]. */
function labelTensor(y: Float32Array, rows: number, spec: TrainingSpec, classes: number, scale?: { mean: number; std: number }): tf.Tensor2D {
  if (scale || spec.loss !== 'categorical_crossentropy') return tf.tensor2d(scaledLabels(y, scale), [rows, 1]);
  return tf.tidy(() => tf.oneHot(tf.tensor1d(y, 'int32'), classes).toFloat() as tf.Tensor2D);
}

/** A split's inputs `[rows, ...inputShape]` and labels `[rows]`, rows reordered by `order` when given. */
function reordered(split: SplitData, data: PreparedData, order?: Int32Array): { x: Float32Array; y: Float32Array } {
  if (!order) return { x: split.x, y: split.y };
  const size = data.inputShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(split.x.length);
  const y = new Float32Array(split.rows);
  order.forEach((src, dst) => {
    x.set(split.x.subarray(src * size, (src + 1) * size), dst * size);
    y[dst] = split.y[src];
  });
  return { x, y };
}

/** A split as tensors: inputs `[rows, ...data.inputShape]`, labels `[rows, 1]` or `[rows, classes]`; rows reordered by `order` when given. */
function toTensors(split: SplitData, spec: TrainingSpec, data: PreparedData, order?: Int32Array): [tf.Tensor, tf.Tensor2D] {
  const { x, y } = reordered(split, data, order);
  return [tf.tensor(x, [split.rows, ...data.inputShape]), labelTensor(y, split.rows, spec, data.outputUnits, data.pipeline.target.scale)];
}

/** Keys of `logs` that have their own EpochResult field. */
const OWN_KEYS = new Set(['loss', 'acc', 'accuracy', 'val_loss', 'val_acc', 'val_accuracy']);

/** Every other metric of the epoch's logs (tfjs names them as the spec does: `mae`, `val_mae`, `mse` …), or undefined. */
function otherMetrics(logs: Record<string, number[]>): Record<string, number> | undefined {
  const entries = Object.keys(logs)
    .filter((k) => !OWN_KEYS.has(k))
    .map((k) => [k, pick(logs, k)!] as const);
  return entries.length ? Object.fromEntries(entries) : undefined;
}

const pick = (logs: Record<string, number[]>, ...keys: string[]) => {
  for (const k of keys) {
    const v = logs[k];
    if (v !== undefined) return Number(v[v.length - 1]);
  }
  return undefined;
};

/**
 * Keras `class_weight` from the spec: given per label, or 'balanced' = n / (classes · count_c).
 * @throws AppError BAD_USER_INPUT for a label that is not a class of the target.
 */
export function classWeights(spec: TrainingSpec, classes: string[] | undefined, train: SplitData): Record<number, number> | undefined {
  if (!classes) return undefined;
  if (spec.balanceClasses) {
    const counts = new Array<number>(classes.length).fill(0);
    for (const c of train.y) counts[c]++;
    return Object.fromEntries(counts.map((n, c) => [c, n > 0 ? train.rows / (classes.length * n) : 1]));
  }
  if (!spec.classWeights?.length) return undefined;
  const out: Record<number, number> = Object.fromEntries(classes.map((_, c) => [c, 1]));
  spec.classWeights.forEach((w, i) => {
    const c = classes.indexOf(w.label);
    if (c < 0) throw badInput(`spec.classWeights[${i}].label '${w.label}' is not a class of the target; classes are ${classes.join(', ')}`);
    out[c] = w.weight;
  });
  return out;
}

/** Tracks the monitored metric (Keras EarlyStopping: min for losses, max for accuracies). */
class EarlyStopper {
  private best = NaN;
  private wait = 0;
  bestEpoch?: number;
  private bestWeights?: tf.Tensor[];

  constructor(private readonly spec: EarlyStoppingSpec) {}

  /** @returns true when training should stop after this epoch. */
  update(model: tf.LayersModel, r: EpochResult): boolean {
    const key = { val_loss: 'valLoss', val_accuracy: 'valAccuracy', loss: 'loss', accuracy: 'accuracy' } as const;
    const value = r[key[this.spec.monitor]];
    if (value === undefined) return false;
    const sign = this.spec.monitor.endsWith('accuracy') ? 1 : -1;
    if (Number.isNaN(this.best) || sign * (value - this.best) > this.spec.minDelta) {
      this.best = value;
      this.bestEpoch = r.epoch;
      this.wait = 0;
      if (this.spec.restoreBestWeights) {
        this.bestWeights?.forEach((w) => w.dispose());
        this.bestWeights = model.getWeights().map((w) => w.clone());
      }
      return false;
    }
    this.wait++;
    return this.wait >= Math.max(1, this.spec.patience);
  }

  /** Puts the best weights back (when restoreBestWeights). */
  restore(model: tf.LayersModel): void {
    if (this.bestWeights) model.setWeights(this.bestWeights);
  }

  /** Frees the copied weights. */
  release(): void {
    this.bestWeights?.forEach((w) => w.dispose());
    this.bestWeights = undefined;
  }
}

/**
 * Trains `model` in place for spec.epochs epochs (fewer if early stopping or `onEpoch` says stop,
 * or `signal` is aborted: checked at the end of every epoch).
 * Every tensor it creates is disposed before it returns.
 * @param augment makes each epoch's training inputs from the shuffled ones (images: shifts and
 *   rotations); returns a new tensor, the original is disposed.
 * @throws AppError BAD_USER_INPUT when the loss or a weight becomes NaN or infinite (training
 *   diverged; checked after every epoch), or a class weight names an unknown class.
 */
export async function trainNetwork(
  model: tf.LayersModel,
  data: PreparedData,
  spec: TrainingSpec,
  onEpoch: EpochCallback,
  signal?: StopSignal,
  augment?: (x: tf.Tensor) => tf.Tensor,
): Promise<TrainingOutcome> {
  const classes = data.pipeline.target.classes;
  const classWeight = classWeights(spec, classes, data.train);
  const random = rng(spec.seed ^ 0x5bd1e995);
  const validation = data.validation.rows > 0 ? toTensors(data.validation, spec, data) : undefined;
  const stopper = spec.earlyStopping ? new EarlyStopper(spec.earlyStopping) : undefined;
  const withAuc = spec.metrics.includes('auc') && data.pipeline.target.task === 'binary';
  const epochs: EpochResult[] = [];
  const adam = hostOptimizerFor(
    model.optimizer,
    model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0),
  );
  // Small dense networks train in plain JavaScript (./js-train.ts), the others on TF.js.
  const js = augment ? undefined : jsTrainerFor(model, spec, adam, model.metricsNames.slice(1));
  let stoppedEarly = false;
  try {
    for (let epoch = 1; epoch <= spec.epochs; epoch++) {
      const started = performance.now();
      const order = permutation(data.train.rows, random);
      const logs = js ? jsEpoch(js, model, data, order, spec, classWeight, validation) : tfEpoch(model, data, order, spec, { classWeight, validation, adam, augment });
      const result: EpochResult = {
        epoch,
        loss: pick(logs, 'loss')!,
        accuracy: pick(logs, 'acc', 'accuracy'),
        valLoss: pick(logs, 'val_loss'),
        valAccuracy: pick(logs, 'val_acc', 'val_accuracy'),
        elapsedMs: performance.now() - started,
      };
      const metrics = { ...otherMetrics(logs), ...(withAuc ? epochAuc(model, data) : {}) };
      if (Object.keys(metrics).length) result.metrics = metrics;
      if (!Number.isFinite(result.loss)) {
        throw badInput(`Training diverged: the loss is ${result.loss} at epoch ${epoch}; try a lower spec.optimizer.learningRate or standardised features`);
      }
      // The loss can stay finite while the weights are not (float32 gradients overflowed, Adam made NaN).
      requireFiniteWeights(model, spec, epoch);
      epochs.push(result);
      const stop = stopper?.update(model, result) ?? false;
      if ((await onEpoch(result)) === 'stop' || signal?.aborted) break;
      if (stop && epoch < spec.epochs) {
        stoppedEarly = true;
        break;
      }
    }
    stopper?.restore(model);
  } finally {
    validation?.forEach((t) => t.dispose());
    stopper?.release();
  }
  return { epochs, ...(stopper ? { bestEpoch: stopper.bestEpoch, stoppedEarly } : {}) };
}

/** One epoch on TF.js (./train-epoch.ts) in `order`, inputs through `augment` when given. */
function tfEpoch(
  model: tf.LayersModel,
  data: PreparedData,
  order: Int32Array,
  spec: TrainingSpec,
  options: Pick<EpochInput, 'classWeight' | 'validation' | 'adam'> & { augment?: (x: tf.Tensor) => tf.Tensor },
): EpochLogs {
  const [raw, y] = toTensors(data.train, spec, data, order);
  let x: tf.Tensor | undefined;
  try {
    x = options.augment ? options.augment(raw) : raw;
    const classes = options.classWeight ? Array.from(order, (i) => data.train.y[i]!) : undefined;
    return trainEpoch(model, { x, y, classes, batchSize: spec.batchSize, classWeight: options.classWeight, validation: options.validation, adam: options.adam });
  } finally {
    raw.dispose();
    if (x !== raw) x?.dispose();
    y.dispose();
  }
}

/** One epoch in plain JavaScript (./js-train.ts) in `order`; the weights are then written to `model`, which scores the validation rows. */
function jsEpoch(
  js: JsTrainer,
  model: tf.LayersModel,
  data: PreparedData,
  order: Int32Array,
  spec: TrainingSpec,
  classWeight: Record<number, number> | undefined,
  validation: [tf.Tensor, tf.Tensor] | undefined,
): EpochLogs {
  const { x, y } = reordered(data.train, data, order);
  const weights = classWeight ? Float32Array.from(order, (i) => classWeight[data.train.y[i]!] ?? 1) : undefined;
  const logs = js.epoch(x, scaledLabels(y, data.pipeline.target.scale), data.train.rows, spec.batchSize, weights);
  js.writeTo();
  return validation ? { ...logs, ...validationLogs(model, validation, spec.batchSize) } : logs;
}
