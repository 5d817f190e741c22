/**
 * The training loop: one `fit` call per epoch on rows reshuffled with a seeded permutation
 * (Keras shuffles every epoch too; tfjs' own shuffle uses Math.random, which cannot be seeded).
 * The optimizer's state lives on the model, so consecutive one-epoch fits equal one long fit.
 */
import { badInput } from '../lib/errors';
import type { PreparedData, SplitData } from './prepare';
import { permutation, rng } from './random';
import type { TrainingSpec } from './spec';
import { tf } from './tf';

/** Metrics of one finished epoch. Losses include regularisation penalties, as in Keras. */
export interface EpochResult {
  /** 1-based. */
  epoch: number;
  loss: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  /** Wall time of the epoch, milliseconds. */
  elapsedMs: number;
}

/** Return 'stop' to end training after this epoch (e.g. the run was cancelled). */
export type EpochCallback = (result: EpochResult) => Promise<void | 'stop'>;

function toTensors(split: SplitData, outputs: number, order?: Int32Array): [tf.Tensor2D, tf.Tensor2D] {
  const features = split.x.length / Math.max(split.rows, 1);
  if (!order) return [tf.tensor2d(split.x, [split.rows, features]), tf.tensor2d(split.y, [split.rows, outputs])];
  const x = new Float32Array(split.x.length);
  const y = new Float32Array(split.y.length);
  order.forEach((src, dst) => {
    x.set(split.x.subarray(src * features, (src + 1) * features), dst * features);
    y.set(split.y.subarray(src * outputs, (src + 1) * outputs), dst * outputs);
  });
  return [tf.tensor2d(x, [split.rows, features]), tf.tensor2d(y, [split.rows, outputs])];
}

const pick = (logs: tf.Logs | Record<string, number[]>, ...keys: string[]) => {
  for (const k of keys) {
    const v = (logs as Record<string, number | number[]>)[k];
    if (v !== undefined) return Array.isArray(v) ? Number(v[v.length - 1]) : Number(v);
  }
  return undefined;
};

/**
 * Trains `model` in place for spec.epochs epochs (fewer if `onEpoch` says stop).
 * Every tensor it creates is disposed before it returns.
 * @throws AppError BAD_USER_INPUT when the loss becomes NaN or infinite (training diverged).
 */
export async function trainNetwork(
  model: tf.LayersModel,
  data: PreparedData,
  spec: TrainingSpec,
  onEpoch: EpochCallback,
): Promise<EpochResult[]> {
  const outputs = data.train.y.length / data.train.rows;
  const random = rng(spec.seed ^ 0x5bd1e995);
  const validation = data.validation.rows > 0 ? toTensors(data.validation, outputs) : undefined;
  const results: EpochResult[] = [];
  try {
    for (let epoch = 1; epoch <= spec.epochs; epoch++) {
      const started = performance.now();
      const [x, y] = toTensors(data.train, outputs, permutation(data.train.rows, random));
      let history: tf.History;
      try {
        history = await model.fit(x, y, {
          epochs: 1,
          batchSize: spec.batchSize,
          shuffle: false,
          validationData: validation,
          verbose: 0,
        });
      } finally {
        x.dispose();
        y.dispose();
      }
      const logs = history.history as Record<string, number[]>;
      const result: EpochResult = {
        epoch,
        loss: pick(logs, 'loss')!,
        accuracy: pick(logs, 'acc', 'accuracy'),
        valLoss: pick(logs, 'val_loss'),
        valAccuracy: pick(logs, 'val_acc', 'val_accuracy'),
        elapsedMs: performance.now() - started,
      };
      if (!Number.isFinite(result.loss)) {
        throw badInput(`Training diverged: the loss is ${result.loss} at epoch ${epoch}; try a lower spec.optimizer.learningRate or standardised features`);
      }
      results.push(result);
      if ((await onEpoch(result)) === 'stop') break;
    }
  } finally {
    validation?.forEach((t) => t.dispose());
  }
  return results;
}
