/**
 * A dense network's forward pass in plain JavaScript, for calls too small to be worth a trip to a
 * scoring thread (src/modules/serving/served-model.ts, INLINE_SCORING_MAX_MACS). Built from the
 * stored artifact (model.json topology + float32 weights, as ./artifact.ts saves them) without
 * TF.js: Dense layers (relu, sigmoid, tanh, softmax, linear; with or without bias), Dropout (the
 * identity at inference) and BatchNormalization (folded into one scale and shift per unit). Any
 * other layer, activation or weight format gives no JS scorer and the version keeps scoring on its
 * thread. Pure arithmetic on typed arrays: it cannot abort a WASM runtime, and its cost is
 * `rows × macsPerRow` multiply-adds, which the caller bounds.
 *
 * Parity with TF.js: each layer's outputs are rounded to float32 (as TF.js keeps them); sums are
 * accumulated in float64, so they differ from TF.js' float32 sums by TF.js' own rounding (well under
 * 1e-6 relative for these layer widths; test/inline-scoring.spec.ts).
 */
import type { StoredArtifact } from '../model-family';

type Activation = 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'linear';

/** One step of the forward pass: `[rows, inputs]` → `[rows, units]`. */
type Step =
  | { kind: 'dense'; inputs: number; units: number; kernel: Float32Array; bias: Float32Array | undefined; activation: Activation }
  | { kind: 'affine'; units: number; scale: Float32Array; shift: Float32Array };

/** A network's forward pass on this thread. */
export interface JsNetwork {
  /** Model inputs per row. */
  inputs: number;
  /** Outputs per row. */
  outputs: number;
  /** Multiply-adds one row costs (dense kernels plus batch-normalisation units). */
  macsPerRow: number;
  /**
   * @param x row-major `[rows, inputs]` model inputs. @returns row-major `[rows, outputs]`, as the
   *   network's last activation gives them (no target rescaling).
   */
  run(x: Float32Array, rows: number): Float32Array;
}

const ACTIVATIONS = new Set<string>(['relu', 'sigmoid', 'tanh', 'softmax', 'linear']);

interface LayerJson {
  class_name?: string;
  config?: { name?: string; units?: number; activation?: string; use_bias?: boolean; epsilon?: number; center?: boolean; scale?: boolean; axis?: number | number[] };
}
interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

/**
 * Weights of a stored dense network (every weight spec's size), which is its multiply-adds per row
 * within the biases; undefined when the topology is not a plain Sequential of the layers read here
 * (src/ml/families/model-family.ts `costPerRow`).
 */
export function denseWeightCount(stored: StoredArtifact): number | undefined {
  const topology = readTopology(stored);
  if (!topology || topology.layers.some((l) => !['Dense', 'Dropout', 'BatchNormalization', 'InputLayer'].includes(l.class_name ?? ''))) return undefined;
  return topology.specs.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
}

/** The stored layers and weight specs, or undefined when the topology is not a plain Sequential. */
function readTopology(stored: StoredArtifact): { layers: LayerJson[]; specs: WeightSpec[] } | undefined {
  const topology = stored.topology as { modelTopology?: { class_name?: string; config?: { layers?: unknown } }; weightSpecs?: unknown } | null;
  const model = topology?.modelTopology;
  const layers = model?.class_name === 'Sequential' ? model.config?.layers : undefined;
  const specs = topology?.weightSpecs;
  if (!Array.isArray(layers) || !Array.isArray(specs)) return undefined;
  return { layers: layers as LayerJson[], specs: specs as WeightSpec[] };
}

/** The float32 weights by name, in `specs` order from the start of `weights`; undefined for any other dtype or size. */
function readWeights(specs: WeightSpec[], weights: Uint8Array): Map<string, { shape: number[]; values: Float32Array }> | undefined {
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32' || spec.quantization) return undefined;
    const count = spec.shape.reduce((a, b) => a * b, 1);
    if (offset + count * 4 > weights.byteLength) return undefined;
    // A copy: aligned, and independent of the artifact's buffer (which may move to a scoring thread).
    const values = new Float32Array(weights.slice(offset, offset + count * 4).buffer);
    out.set(spec.name, { shape: spec.shape, values });
    offset += count * 4;
  }
  return offset === weights.byteLength ? out : undefined;
}

/**
 * Builds the JS forward pass of a stored 'tfjs-layers' dense network.
 * @param inputs model inputs per row (the pipeline's).
 * @returns undefined when the artifact holds anything this pass does not compute exactly (another
 *   layer or activation, non-float32 weights, shapes that do not chain): such versions score on
 *   their thread only.
 */
export function buildJsNetwork(stored: StoredArtifact, inputs: number): JsNetwork | undefined {
  const topology = readTopology(stored);
  if (!topology) return undefined;
  const weights = readWeights(topology.specs, stored.weights);
  if (!weights) return undefined;
  const steps: Step[] = [];
  let width = inputs;
  let macsPerRow = 0;
  for (const layer of topology.layers) {
    const config = layer.config ?? {};
    const w = (name: string) => weights.get(`${config.name}/${name}`);
    if (layer.class_name === 'Dropout' || layer.class_name === 'InputLayer') continue;
    if (layer.class_name === 'Dense') {
      const activation = config.activation ?? 'linear';
      const kernel = w('kernel');
      const bias = config.use_bias === false ? undefined : w('bias');
      if (!ACTIVATIONS.has(activation) || !kernel || kernel.shape[0] !== width || kernel.shape[1] !== config.units) return undefined;
      if (config.use_bias !== false && bias?.values.length !== config.units) return undefined;
      steps.push({ kind: 'dense', inputs: width, units: config.units, kernel: kernel.values, bias: bias?.values, activation: activation as Activation });
      macsPerRow += width * config.units;
      width = config.units;
    } else if (layer.class_name === 'BatchNormalization') {
      const step = foldBatchNorm(config, width, w);
      if (!step) return undefined;
      steps.push(step);
      macsPerRow += width;
    } else return undefined;
  }
  if (steps.length === 0) return undefined;
  return { inputs, outputs: width, macsPerRow, run: (x, rows) => forward(steps, x, rows, inputs) };
}

/** Inference-time batch normalisation as `x × scale + shift` per unit: scale = γ / √(σ² + ε), shift = β − μ × scale. */
function foldBatchNorm(config: NonNullable<LayerJson['config']>, width: number, w: (name: string) => { shape: number[]; values: Float32Array } | undefined): Step | undefined {
  const axis = Array.isArray(config.axis) ? config.axis : [config.axis ?? -1];
  if (axis.length !== 1 || (axis[0] !== -1 && axis[0] !== 1)) return undefined;
  const mean = w('moving_mean');
  const variance = w('moving_variance');
  const gamma = config.scale === false ? undefined : w('gamma');
  const beta = config.center === false ? undefined : w('beta');
  const sized = (t: { values: Float32Array } | undefined) => t?.values.length === width;
  if (!sized(mean) || !sized(variance) || (config.scale !== false && !sized(gamma)) || (config.center !== false && !sized(beta))) return undefined;
  const epsilon = config.epsilon ?? 0.001;
  const scale = new Float32Array(width);
  const shift = new Float32Array(width);
  for (let u = 0; u < width; u++) {
    scale[u] = (gamma ? gamma.values[u] : 1) / Math.sqrt(variance!.values[u] + epsilon);
    shift[u] = (beta ? beta.values[u] : 0) - mean!.values[u] * scale[u];
  }
  return { kind: 'affine', units: width, scale, shift };
}

function forward(steps: Step[], x: Float32Array, rows: number, inputs: number): Float32Array {
  let a = x;
  let width = inputs;
  for (const step of steps) {
    const out = new Float32Array(rows * step.units);
    if (step.kind === 'affine') {
      for (let r = 0; r < rows; r++)
        for (let u = 0; u < width; u++) {
          const i = r * width + u;
          out[i] = a[i] * step.scale[u] + step.shift[u];
        }
    } else {
      dense(a, rows, step, out);
      activate(out, rows, step.units, step.activation);
    }
    a = out;
    width = step.units;
  }
  return a;
}

/** out[r, u] = bias[u] + Σ_i x[r, i] × kernel[i, u] (kernel row-major `[inputs, units]`, as Keras stores it). */
function dense(x: Float32Array, rows: number, step: Extract<Step, { kind: 'dense' }>, out: Float32Array): void {
  const { inputs, units, kernel, bias } = step;
  const sums = new Float64Array(units);
  for (let r = 0; r < rows; r++) {
    for (let u = 0; u < units; u++) sums[u] = bias ? bias[u] : 0;
    const row = r * inputs;
    for (let i = 0; i < inputs; i++) {
      const v = x[row + i];
      const k = i * units;
      for (let u = 0; u < units; u++) sums[u] += v * kernel[k + u];
    }
    out.set(sums, r * units);
  }
}

function activate(out: Float32Array, rows: number, units: number, activation: Activation): void {
  const n = rows * units;
  if (activation === 'relu') for (let i = 0; i < n; i++) out[i] = out[i] > 0 ? out[i] : 0;
  else if (activation === 'sigmoid') for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-out[i]));
  else if (activation === 'tanh') for (let i = 0; i < n; i++) out[i] = Math.tanh(out[i]);
  else if (activation === 'softmax')
    for (let r = 0; r < rows; r++) {
      let max = -Infinity;
      for (let u = 0; u < units; u++) max = Math.max(max, out[r * units + u]);
      let sum = 0;
      for (let u = 0; u < units; u++) sum += Math.exp(out[r * units + u] - max);
      for (let u = 0; u < units; u++) out[r * units + u] = Math.exp(out[r * units + u] - max) / sum;
    }
}
