/**
 * Walks a convolutional spec over an input shape: each layer's output shape, weights and
 * multiply-adds per example — one function used by the shape check, the cost check and messages.
 * Output sizes follow TF.js/Keras: 'valid' floor((n − k) / s) + 1, 'same' ceil(n / s).
 */
import { badInput } from '../../../lib/errors';
import type { LayerSpec } from '../../spec-types';

/** One layer's result. */
export interface LayerShape {
  /** Output shape of one example: `[h, w, c]` or `[units]`. */
  shape: number[];
  weights: number;
  /** Multiply-adds per example, forward pass. */
  work: number;
}

const out = (n: number, k: number, s: number, padding: string | undefined) => (padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1);

/**
 * @param input one example's shape, `[h, w, c]`.
 * @throws AppError BAD_USER_INPUT naming the layer: a spatial layer after the input was flattened,
 *   a dense layer on an unflattened image, a feature map that shrinks to nothing.
 */
export function walkLayers(layers: readonly LayerSpec[], input: readonly number[]): LayerShape[] {
  let shape = [...input];
  return layers.map((layer, i) => {
    const at = `spec.layers[${i}]`;
    const spatial = shape.length === 3;
    const [h, w, c] = shape as [number, number, number];
    let weights = 0;
    let work = 0;
    switch (layer.type) {
      case 'conv2d':
      case 'max_pooling2d':
      case 'average_pooling2d': {
        if (!spatial) throw badInput(`${at} (${layer.type.toUpperCase()}) needs an image-shaped input, but the input was flattened before it`);
        const k = layer.type === 'conv2d' ? layer.kernelSize! : layer.poolSize!;
        const s = layer.strides ?? 1;
        const [oh, ow] = [out(h, k, s, layer.padding), out(w, k, s, layer.padding)];
        if (oh < 1 || ow < 1) throw badInput(`${at} (${layer.type.toUpperCase()}, size ${k}) does not fit its ${h}×${w} input; use padding SAME or a smaller size`);
        const oc = layer.type === 'conv2d' ? layer.filters! : c;
        if (layer.type === 'conv2d') weights = k * k * c * oc + oc;
        work = oh * ow * oc * k * k * (layer.type === 'conv2d' ? c : 1);
        shape = [oh, ow, oc];
        break;
      }
      case 'flatten':
        shape = [shape.reduce((a, b) => a * b, 1)];
        break;
      case 'global_average_pooling2d':
        if (!spatial) throw badInput(`${at} (GLOBAL_AVERAGE_POOLING2D) needs an image-shaped input, but the input was flattened before it`);
        work = h * w * c;
        shape = [c];
        break;
      case 'dense':
        if (spatial) throw badInput(`${at} (DENSE) follows a ${h}×${w}×${c} feature map; add a FLATTEN or GLOBAL_AVERAGE_POOLING2D layer before it`);
        weights = (shape[0]! + 1) * layer.units!;
        work = weights;
        shape = [layer.units!];
        break;
      case 'batch_normalization':
        weights = 4 * shape[shape.length - 1]!;
        work = shape.reduce((a, b) => a * b, 1);
        break;
      default:
        break;
    }
    return { shape: [...shape], weights, work };
  });
}
