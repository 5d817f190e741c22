/**
 * A dense TF.js network as ONNX operators: Dense = MatMul + Add (+ its activation), Dropout is the
 * identity at inference, BatchNormalization folds into one Mul + Add with its moving statistics.
 * Weights are read from the loaded layers (float32, as TF.js holds them), so the graph computes
 * what `runNetwork` computes.
 */
import { AppError } from '../../lib/errors';
import type { StoredArtifact } from '../families/model-family';
import { loadStoredLayersModel } from '../families/network/artifact';
import { tf } from '../tf';
import type { OnnxGraph } from './onnx-graph';

/** TF.js activation name → the ONNX op applying it (undefined: identity). */
const ACTIVATIONS: Record<string, string | undefined> = {
  linear: undefined,
  relu: 'Relu',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  softmax: 'Softmax',
  elu: 'Elu',
  selu: 'Selu',
  softplus: 'Softplus',
  softsign: 'Softsign',
};

const notSupported = (what: string) =>
  new AppError('NOT_SUPPORTED', `ONNX export of NEURAL_NETWORK versions does not support ${what}; download the TF.js format (format=tfjs) instead`);

/** Copies a layer's weights out of TF.js (the tensors stay the layer's). */
const weightsOf = (layer: tf.layers.Layer) => layer.getWeights().map((w) => ({ data: w.dataSync() as Float32Array, shape: w.shape }));

function activation(g: OnnxGraph, name: string, v: string): string {
  if (!Object.hasOwn(ACTIVATIONS, name)) throw notSupported(`activation '${name}'`);
  const op = ACTIVATIONS[name];
  if (!op) return v;
  return g.node(op, [v], op === 'Softmax' ? { axis: { i: -1 } } : {});
}

/**
 * Adds the network to `g`.
 * @param input model inputs, float32 `[batch, inputs]`.
 * @returns the network's outputs' name, float32 `[batch, units]` (before the target scale).
 * @throws AppError NOT_SUPPORTED for a layer or activation without an ONNX counterpart here;
 *   BAD_USER_INPUT for an unreadable artifact.
 */
export async function networkInGraph(g: OnnxGraph, stored: StoredArtifact, input: string): Promise<string> {
  const model = await loadStoredLayersModel(stored);
  try {
    let v = input;
    for (const layer of model.layers) {
      const config = layer.getConfig();
      const kind = layer.getClassName();
      if (kind === 'Dropout' || kind === 'InputLayer') continue;
      const w = weightsOf(layer);
      if (kind === 'Dense') {
        const [kernel, bias] = w;
        v = g.node('MatMul', [v, g.floats(kernel.data, kernel.shape, 'kernel')]);
        if (bias) v = g.node('Add', [v, g.floats(bias.data, bias.shape, 'bias')]);
        v = activation(g, String(config.activation ?? 'linear'), v);
      } else if (kind === 'BatchNormalization') {
        // Weights in TF.js order: gamma (scale), beta (center), moving mean, moving variance.
        const scaled = config.scale !== false;
        const centred = config.center !== false;
        const gamma = scaled ? w[0].data : undefined;
        const beta = centred ? w[scaled ? 1 : 0].data : undefined;
        const [mean, variance] = w.slice(w.length - 2).map((t) => t.data);
        const eps = Number(config.epsilon ?? 0.001);
        const mul = Float64Array.from(variance, (s, i) => (gamma ? gamma[i] : 1) / Math.sqrt(s + eps));
        const add = Float64Array.from(mean, (m, i) => (beta ? beta[i] : 0) - m * mul[i]);
        v = g.node('Add', [g.node('Mul', [v, g.floats(mul, [mul.length])]), g.floats(add, [add.length])]);
      } else throw notSupported(`layer ${kind}`);
    }
    return v;
  } finally {
    model.dispose();
  }
}
