/**
 * The layers of a model the plain-JavaScript trainer (./js-train.ts) takes: a Sequential of Dense
 * layers, read with their weights, settings and the scratch buffers of a step.
 */
import { tf } from '../../tf';
import type { Activation } from './js-train-math';

const ACTIVATIONS = new Set<string>(['relu', 'sigmoid', 'tanh', 'softmax', 'linear']);

/** One Dense layer: `[rows, inputs]` → `[rows, units]`. */
export interface Layer {
  inputs: number;
  units: number;
  /** `[inputs, units]` row-major, as the layer's kernel. */
  kernel: Float32Array;
  bias: Float32Array | undefined;
  activation: Activation;
  l1: number;
  l2: number;
  /** The model's variables the weights are written back to. */
  variables: tf.LayerVariable[];
  /** Gradients of one step, same layouts. */
  gradKernel: Float32Array;
  gradBias: Float32Array;
  /** Outputs `[batch, units]` of one step (float32, as TF.js keeps activations), and their gradients. */
  out: Float32Array;
  grad: Float64Array;
  /** Float64 scratch: one row's sums `[units]`, the kernel's and bias' gradient sums. */
  sum: Float64Array;
  gk: Float64Array;
  gb: Float64Array;
}

/** A Dense layer's settings as tfjs-layers serialises them (`getConfig()`). */
interface DenseConfig {
  activation?: string;
  useBias?: boolean;
  kernelRegularizer?: { className?: string; config?: { l1?: number; l2?: number } } | null;
  biasRegularizer?: unknown;
  activityRegularizer?: unknown;
  kernelConstraint?: unknown;
  biasConstraint?: unknown;
}

/** The layers of `model` when every one is a Dense layer this file trains, else undefined. */
export function denseLayers(model: tf.LayersModel, maxBatch: number): Layer[] | undefined {
  if (!(model instanceof tf.Sequential) || model.inputs.length !== 1 || model.inputs[0]!.shape.length !== 2) return undefined;
  const layers: Layer[] = [];
  for (const [i, layer] of model.layers.entries()) {
    if (layer.getClassName() !== 'Dense') return undefined;
    const config = layer.getConfig() as DenseConfig;
    const activation = String(config.activation ?? 'linear');
    if (!ACTIVATIONS.has(activation) || (activation === 'softmax' && i !== model.layers.length - 1)) return undefined;
    if (config.biasRegularizer || config.activityRegularizer || config.kernelConstraint || config.biasConstraint) return undefined;
    const regularizer = config.kernelRegularizer;
    if (regularizer && regularizer.className !== 'L1L2') return undefined;
    const variables = layer.trainableWeights;
    const [kernel, bias] = variables.map((v) => Float32Array.from(v.read().dataSync() as Float32Array));
    const [inputs, units] = variables[0]!.shape as [number, number];
    layers.push({
      inputs,
      units,
      kernel: kernel!,
      bias,
      activation: activation as Activation,
      l1: regularizer?.config?.l1 ?? 0,
      l2: regularizer?.config?.l2 ?? 0,
      variables,
      gradKernel: new Float32Array(inputs * units),
      gradBias: new Float32Array(units),
      out: new Float32Array(maxBatch * units),
      grad: new Float64Array(maxBatch * units),
      sum: new Float64Array(units),
      gk: new Float64Array(inputs * units),
      gb: new Float64Array(units),
    });
  }
  return layers;
}
