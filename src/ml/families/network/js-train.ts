/**
 * Training of small dense networks in plain JavaScript: the forward pass, the loss, the backward
 * pass and the optimizer's update of one step on typed arrays, instead of ~60 TF.js kernels per step. For the seed
 * model (8 → 10 → 1, batch 32) a step is ~3,000 multiply-adds: each WASM kernel's fixed cost (a
 * few µs) was most of the step, and tfjs-layers' training ran at 0.15× PyTorch on one CPU thread
 * (BENCHMARKS.md, "Tabular training against PyTorch"; issue 15).
 *
 * Used by trainNetwork (./train.ts) for a Sequential of Dense layers only (activations relu,
 * sigmoid, tanh, linear; softmax last), kernel L1/L2 regularisation allowed, trained with Adam or
 * plain SGD on the host (./host-optimizer.ts, at most MAX_HOST_OPTIMIZER_WEIGHTS weights), with any
 * of the platform's losses and metrics ({@link jsTrainerFor} says). Anything else trains on TF.js
 * (./train-epoch.ts).
 *
 * Same mathematics as tfjs-layers' training step (tfjs-layers 4.x `losses.ts`, `metrics.ts`,
 * `makeTrainFunction`; tfjs-core's gradients), which is Keras': the step minimises
 * mean(loss · classWeight) + penalties; `binaryCrossentropy` clips to [ε, 1 − ε] (ε the backend's,
 * 1e-7) and goes through logits; `categoricalCrossentropy` normalises the outputs, clips and takes
 * −Σ t·log p (sparse targets one-hot, clipped once more first, as tfjs does); Huber (δ = 1) is the
 * mean over the batch; a clipped output has no gradient; relu's gradient at 0 is 0. Activations are
 * rounded to float32 after each layer, as TF.js keeps them; sums are accumulated in float64. So the
 * figures equal TF.js' to float32 rounding (test/unit/js-train.spec.ts compares both, step by step).
 *
 * The weights live here during an epoch and are written to the model's variables at its end
 * ({@link JsTrainer.writeTo}), where validation, AUC, early stopping and saving read them.
 */
import type { Loss, MetricName, TrainingSpec } from '../../spec-types';
import { tf } from '../../tf';
import type { HostOptimizer } from './host-optimizer';
import { activate, argMax, derive } from './js-train-math';
import { denseLayers, type Layer } from './js-train-layers';

/** One epoch's figures, as `History.history` after a one-epoch fit (keys tfjs': `loss`, `acc`, `mse` …). */
export type JsEpochLogs = Record<string, number[]>;

/** A dense network's training on this thread. */
export interface JsTrainer {
  /**
   * Trains one epoch on `x` `[rows, inputs]` and `y` (row-major, `[rows, outputs]`; for the
   * categorical cross-entropies `[rows]` class indices), already in the epoch's order, in steps of
   * `batchSize` rows. `weights` `[rows]`: each row's class weight.
   * @returns the epoch's loss and metrics: batch-size-weighted means of the steps' figures.
   */
  epoch(x: Float32Array, y: Float32Array, rows: number, batchSize: number, weights?: Float32Array): JsEpochLogs;
  /** Writes the trained weights to the model's variables (no tensor left behind). */
  writeTo(): void;
}

/**
 * A trainer for `model` when it qualifies (see the file's comment) and `optimizer` (the host's
 * update for the model's optimizer) is given, else undefined (train on TF.js).
 * @param metricNames the compiled metrics' names (`model.metricsNames` after `loss`), in the
 *   order of the spec's metrics without `auc`.
 */
export function jsTrainerFor(model: tf.LayersModel, spec: TrainingSpec, optimizer: HostOptimizer | undefined, metricNames: string[]): JsTrainer | undefined {
  if (!optimizer || !spec.loss) return undefined;
  const metrics = spec.metrics.filter((m): m is Exclude<MetricName, 'auc'> => m !== 'auc');
  if (metrics.length !== metricNames.length) return undefined;
  const layers = denseLayers(model, spec.batchSize);
  if (!layers) return undefined;
  return new DenseTrainer(layers, spec.loss, metrics, metricNames, optimizer, tf.backend().epsilon());
}

class DenseTrainer implements JsTrainer {
  private readonly outputs: number;
  /** Per output value of a step: its label (one-hot for categorical losses). */
  private readonly target: Float64Array;
  private readonly binaryAccuracy: boolean;

  constructor(
    private readonly layers: Layer[],
    private readonly loss: Loss,
    private readonly metrics: Exclude<MetricName, 'auc'>[],
    private readonly metricNames: string[],
    private readonly optimizer: HostOptimizer,
    private readonly epsilon: number,
  ) {
    this.outputs = layers.at(-1)!.units;
    this.target = new Float64Array(layers.at(-1)!.out.length);
    // tfjs-layers' `compile`: 'accuracy' is binary accuracy for one output or binary cross-entropy, else categorical.
    this.binaryAccuracy = this.outputs === 1 || loss === 'binary_crossentropy';
  }

  epoch(x: Float32Array, y: Float32Array, rows: number, batchSize: number, weights?: Float32Array): JsEpochLogs {
    const sums = new Float64Array(1 + this.metrics.length);
    for (let start = 0; start < rows; start += batchSize) {
      const n = Math.min(batchSize, rows - start);
      this.forward(x.subarray(start * this.layers[0]!.inputs, (start + n) * this.layers[0]!.inputs), n);
      this.targets(y, start, n);
      sums[0] += n * this.lossAndGradient(n, weights, start);
      this.metrics.forEach((m, i) => (sums[i + 1] += n * this.metric(m, n)));
      this.backward(x.subarray(start * this.layers[0]!.inputs), n);
      this.step();
    }
    const logs: JsEpochLogs = { loss: [sums[0]! / rows] };
    this.metricNames.forEach((name, i) => (logs[name] = [sums[i + 1]! / rows]));
    return logs;
  }

  writeTo(): void {
    tf.tidy(() => {
      for (const layer of this.layers) {
        layer.variables[0]!.write(tf.tensor2d(layer.kernel, [layer.inputs, layer.units]));
        if (layer.bias) layer.variables[1]!.write(tf.tensor1d(layer.bias));
      }
    });
  }

  /** Each layer's outputs for `n` rows of `x` `[n, inputs]`. */
  private forward(x: Float32Array, n: number): void {
    let input: Float32Array = x;
    for (const layer of this.layers) {
      const { inputs, units, kernel, bias, out, sum } = layer;
      for (let r = 0; r < n; r++) {
        if (bias) for (let u = 0; u < units; u++) sum[u] = bias[u]!;
        else sum.fill(0);
        const row = r * inputs;
        for (let k = 0; k < inputs; k++) {
          const a = input[row + k]!;
          if (a === 0) continue;
          const w = k * units;
          for (let u = 0; u < units; u++) sum[u] += a * kernel[w + u]!;
        }
        activate(layer.activation, sum, out, r * units, units);
      }
      input = out;
    }
  }

  /** The step's labels as one value per output (categorical ones, given as class indices, one-hot). */
  private targets(y: Float32Array, start: number, n: number): void {
    const o = this.outputs;
    const t = this.target;
    if (this.loss.includes('categorical')) {
      t.fill(0, 0, n * o);
      for (let r = 0; r < n; r++) t[r * o + Math.floor(y[start + r]!)] = 1;
      return;
    }
    for (let i = 0; i < n * o; i++) t[i] = y[start * o + i]!;
  }

  /**
   * The step's objective, mean(loss · weight) + penalties, and its gradient with respect to the
   * last layer's outputs into that layer's `grad`.
   */
  private lossAndGradient(n: number, weights: Float32Array | undefined, start: number): number {
    const last = this.layers.at(-1)!;
    const { out: p, grad: g } = last;
    const t = this.target;
    const o = this.outputs;
    const lo = Math.fround(this.epsilon);
    const hi = Math.fround(1 - this.epsilon);
    let total = 0;
    if (this.loss === 'huber') {
      // tf.losses.huberLoss, δ = 1, reduced to the mean of every element (no weights: regression has no class weights).
      for (let i = 0; i < n * o; i++) {
        const e = p[i]! - t[i]!;
        const a = Math.abs(e);
        const q = Math.min(a, 1);
        total += 0.5 * q * q + (a - q);
        g[i] = (a <= 1 ? e : Math.sign(e)) / (n * o);
      }
      return total / (n * o) + this.penalties();
    }
    for (let r = 0; r < n; r++) {
      const w = weights ? weights[start + r]! : 1;
      const base = r * o;
      let rowLoss = 0;
      switch (this.loss) {
        case 'binary_crossentropy':
          for (let j = base; j < base + o; j++) {
            const inRange = p[j]! >= lo && p[j]! <= hi;
            const c = Math.min(Math.max(p[j]!, lo), hi);
            const logit = Math.log(c / (1 - c));
            rowLoss += Math.max(logit, 0) - logit * t[j]! + Math.log1p(Math.exp(-Math.abs(logit)));
            g[j] = inRange ? (c - t[j]!) / (c * (1 - c)) / o : 0;
          }
          rowLoss /= o;
          break;
        case 'mean_squared_error':
        case 'mean_absolute_error':
          for (let j = base; j < base + o; j++) {
            const e = p[j]! - t[j]!;
            rowLoss += this.loss === 'mean_squared_error' ? e * e : Math.abs(e);
            g[j] = (this.loss === 'mean_squared_error' ? 2 * e : Math.sign(e)) / o;
          }
          rowLoss /= o;
          break;
        default:
          rowLoss = this.crossEntropyRow(base, lo, hi);
      }
      total += rowLoss * w;
      for (let j = base; j < base + o; j++) g[j] = (g[j]! * w) / n;
    }
    return total / n + this.penalties();
  }

  /** Categorical cross-entropy of the row at `base` (tfjs-layers' `categoricalCrossentropy`, sparse: clipped first), its gradient into `grad`. */
  private crossEntropyRow(base: number, lo: number, hi: number): number {
    const { out: p, grad: g } = this.layers.at(-1)!;
    const t = this.target;
    const o = this.outputs;
    const sparse = this.loss === 'sparse_categorical_crossentropy';
    // p → (sparse: clip) → divide by the sum → clip → −Σ t·log.
    let sum = 0;
    for (let j = base; j < base + o; j++) sum += sparse ? Math.min(Math.max(p[j]!, lo), hi) : p[j]!;
    let loss = 0;
    let dot = 0;
    for (let j = base; j < base + o; j++) {
      const v = sparse ? Math.min(Math.max(p[j]!, lo), hi) : p[j]!;
      const q = v / sum;
      const c = Math.min(Math.max(q, lo), hi);
      loss -= t[j]! * Math.log(c);
      g[j] = q >= lo && q <= hi ? -t[j]! / c : 0; // d/dq
      dot += g[j]! * q;
    }
    for (let j = base; j < base + o; j++) {
      const passes = !sparse || (p[j]! >= lo && p[j]! <= hi);
      g[j] = passes ? (g[j]! - dot) / sum : 0; // d/dp through the division (and the first clip)
    }
    return loss;
  }

  /** Kernel regularisation of every layer (L1 Σ|w| + L2 Σw²), its gradient added to gradKernel by backward. */
  private penalties(): number {
    let total = 0;
    for (const { kernel, l1, l2 } of this.layers) {
      if (!l1 && !l2) continue;
      for (let i = 0; i < kernel.length; i++) total += l1 * Math.abs(kernel[i]!) + l2 * kernel[i]! * kernel[i]!;
    }
    return total;
  }

  /** Gradients of every layer's weights from the last layer's output gradient; `x` the step's inputs. */
  private backward(x: Float32Array, n: number): void {
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l]!;
      const { inputs, units, kernel, out, grad, gradKernel, gradBias, gk, gb } = layer;
      derive(layer.activation, out, grad, n, units); // grad: d/d(outputs) → d/d(pre-activations)
      const input = l > 0 ? this.layers[l - 1]!.out : x;
      gk.fill(0);
      gb.fill(0);
      for (let r = 0; r < n; r++) {
        const row = r * units;
        for (let u = 0; u < units; u++) gb[u] += grad[row + u]!;
        for (let k = 0; k < inputs; k++) {
          const a = input[r * inputs + k]!;
          if (a === 0) continue;
          const w = k * units;
          for (let u = 0; u < units; u++) gk[w + u] += a * grad[row + u]!;
        }
      }
      for (let i = 0; i < gk.length; i++) gradKernel[i] = gk[i]! + (layer.l1 ? layer.l1 * Math.sign(kernel[i]!) : 0) + (layer.l2 ? 2 * layer.l2 * kernel[i]! : 0);
      gradBias.set(gb);
      if (l === 0) break;
      const below = this.layers[l - 1]!;
      for (let r = 0; r < n; r++) {
        for (let k = 0; k < inputs; k++) {
          let s = 0;
          const w = k * units;
          for (let u = 0; u < units; u++) s += grad[r * units + u]! * kernel[w + u]!;
          below.grad[r * inputs + k] = s;
        }
      }
    }
  }

  /** One optimizer step on every weight. */
  private step(): void {
    this.layers.forEach((layer, i) => {
      this.optimizer.step(`js${i}k`, layer.kernel, layer.gradKernel);
      if (layer.bias) this.optimizer.step(`js${i}b`, layer.bias, layer.gradBias);
    });
    this.optimizer.advance();
  }

  /** A compiled metric's mean over the step's rows (tfjs-layers `metrics.ts`). */
  private metric(m: Exclude<MetricName, 'auc'>, n: number): number {
    const { out: p } = this.layers.at(-1)!;
    const t = this.target;
    const o = this.outputs;
    let total = 0;
    for (let r = 0; r < n; r++) {
      const base = r * o;
      if (m === 'accuracy' && !this.binaryAccuracy) {
        total += argMax(p, base, o) === argMax(t, base, o) ? 1 : 0;
        continue;
      }
      let row = 0;
      for (let j = base; j < base + o; j++) {
        const e = p[j]! - t[j]!;
        row += m === 'accuracy' ? (t[j] === (p[j]! > 0.5 ? 1 : 0) ? 1 : 0) : m === 'mse' ? e * e : Math.abs(e);
      }
      total += row / o;
    }
    return total / n;
  }
}
