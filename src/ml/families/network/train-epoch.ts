/**
 * One training epoch of a compiled TF.js layers model without `model.fit`: each step is one
 * `optimizer.minimize` (or `tf.variableGrads` + {@link HostAdam}) of the model's own compiled loss
 * (plus its regularisation penalties) on a slice of the epoch's tensors, in one `tf.tidy`, and the epoch's loss and metrics are summed on the
 * backend and read once at its end. `model.fit` instead gathers every batch from an index tensor,
 * runs the symbolic executor and awaits two callbacks per batch; for small networks that overhead is
 * most of a step (BENCHMARKS.md, "Tabular training against PyTorch").
 *
 * The figures match `model.fit`'s: each step minimises mean(loss · classWeight) + penalties (tfjs-layers
 * `makeTrainFunction`), the epoch's `loss` and metrics are batch-size-weighted means over its steps
 * (tfjs-layers' BaseLogger), and validation figures come from `model.evaluate`, as fit's test
 * function. Keys are tfjs' (`loss`, `acc`, `mae`, `val_loss`, `val_acc` …).
 */
import { tf } from '../../tf';
import type { HostOptimizer } from './host-optimizer';

/** One epoch's logs, as `History.history` after a one-epoch fit: each value a one-element array. */
export type EpochLogs = Record<string, number[]>;

/** What one epoch trains on. */
export interface EpochInput {
  /** Inputs `[rows, ...inputShape]`, already in this epoch's order. */
  x: tf.Tensor;
  /** Labels `[rows, 1]` or `[rows, classes]`, same order. */
  y: tf.Tensor;
  /** Class index of each row (same order), for `classWeight`. */
  classes?: ArrayLike<number>;
  batchSize: number;
  /** Keras `class_weight`: weight by class index. */
  classWeight?: Record<number, number>;
  /** Adam on the host (./host-optimizer.ts) in place of `model.optimizer`, kept by the caller across epochs. */
  adam?: HostOptimizer;
  /** Validation inputs and labels, scored after the epoch. */
  validation?: [tf.Tensor, tf.Tensor];
}

/** The compiled parts of a LayersModel this loop reads (public fields of tfjs-layers' LayersModel; a Sequential keeps them on its inner `model`). */
type Compiled = tf.LayersModel & {
  lossFunctions: Array<(yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor>;
  metricsTensors: Array<[(yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor, number]>;
};

/** Per-row weights `[rows]` from classWeight, or undefined. */
function sampleWeights(input: EpochInput, rows: number): tf.Tensor1D | undefined {
  if (!input.classWeight || !input.classes) return undefined;
  const w = new Float32Array(rows);
  for (let i = 0; i < rows; i++) w[i] = input.classWeight[input.classes[i]!] ?? 1;
  return tf.tensor1d(w);
}

/**
 * Trains `model` (compiled, single output) for one epoch on `input`, in place.
 * Every tensor it creates is disposed before it returns; `input`'s tensors stay the caller's.
 * @returns the epoch's logs: `loss`, the compiled metrics, and `val_`-prefixed ones with validation.
 */
export function trainEpoch(model: tf.LayersModel, input: EpochInput): EpochLogs {
  const compiled = (model instanceof tf.Sequential ? (model as unknown as { model: tf.LayersModel }).model : model) as Compiled;
  const rows = input.x.shape[0];
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const metricNames = model.metricsNames.slice(1);
  const weights = sampleWeights(input, rows);
  // [Σ batch · loss, Σ batch · metric …], kept on the backend until the epoch ends.
  let sums: tf.Tensor1D = tf.zeros([1 + metricNames.length]);
  try {
    for (let start = 0; start < rows; start += input.batchSize) {
      const size = Math.min(input.batchSize, rows - start);
      const next = tf.tidy(() => {
        const xb = input.x.slice(start, size);
        const yb = input.y.slice(start, size);
        const wb = weights?.slice(start, size);
        let metrics: tf.Scalar[] = [];
        const objective = () => {
          const predicted = model.apply(xb, { training: true }) as tf.Tensor;
          const loss = compiled.lossFunctions[0]!(yb, predicted);
          metrics = compiled.metricsTensors.map(([metric]) => tf.keep(tf.mean(metric(yb, predicted))));
          let total = tf.mean(wb ? tf.mul(loss, wb) : loss);
          for (const penalty of model.calculateLosses()) total = tf.add(total, penalty);
          return total as tf.Scalar;
        };
        let cost: tf.Scalar;
        if (input.adam) {
          const { value, grads } = tf.variableGrads(objective, variables);
          input.adam.apply(variables, grads);
          cost = value;
        } else cost = model.optimizer.minimize(objective, true, variables)!;
        const added = tf.add(sums, tf.mul(tf.stack([cost, ...metrics]), size)) as tf.Tensor1D;
        // Kept out of minimize's scope, so not this tidy's to free.
        tf.dispose(metrics);
        return added;
      });
      sums.dispose();
      sums = next;
    }
    const means = Array.from(sums.dataSync(), (v) => v / rows);
    const logs: EpochLogs = { loss: [means[0]!] };
    metricNames.forEach((name, i) => (logs[name] = [means[i + 1]!]));
    if (input.validation) Object.assign(logs, validationLogs(model, input.validation, input.batchSize));
    return logs;
  } finally {
    sums.dispose();
    weights?.dispose();
  }
}

/** `val_loss` and `val_<metric>` from `model.evaluate` (fit's test function). */
export function validationLogs(model: tf.LayersModel, [x, y]: [tf.Tensor, tf.Tensor], batchSize: number): EpochLogs {
  const scores = model.evaluate(x, y, { batchSize });
  const list = Array.isArray(scores) ? scores : [scores];
  try {
    return Object.fromEntries(model.metricsNames.map((name, i) => [`val_${name}`, [list[i]!.dataSync()[0]!]]));
  } finally {
    tf.dispose(list);
  }
}
