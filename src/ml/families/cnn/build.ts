/**
 * Builds and compiles a TF.js layers model from a convolutional spec. Weight initialisers are
 * seeded (spec.seed + layer index), as for dense networks.
 */
import type { LayerSpec, TrainingSpec } from '../../spec-types';
import { tf } from '../../tf';
import { compileNetwork, regularizer } from '../network/build';
import { walkLayers } from './shape';

function layerOf(layer: LayerSpec, i: number, seed: number, inputShape?: number[]): tf.layers.Layer {
  const first = inputShape ? { inputShape } : {};
  const init = () => tf.initializers.glorotUniform({ seed: seed + i });
  switch (layer.type) {
    case 'conv2d':
      return tf.layers.conv2d({
        ...first,
        filters: layer.filters!,
        kernelSize: layer.kernelSize!,
        strides: layer.strides ?? 1,
        padding: layer.padding ?? 'valid',
        activation: layer.activation ?? 'relu',
        kernelInitializer: init(),
      });
    case 'max_pooling2d':
      return tf.layers.maxPooling2d({ ...first, poolSize: layer.poolSize!, strides: layer.strides ?? layer.poolSize!, padding: layer.padding ?? 'valid' });
    case 'average_pooling2d':
      return tf.layers.averagePooling2d({ ...first, poolSize: layer.poolSize!, strides: layer.strides ?? layer.poolSize!, padding: layer.padding ?? 'valid' });
    case 'flatten':
      return tf.layers.flatten(first);
    case 'global_average_pooling2d':
      return tf.layers.globalAveragePooling2d({ ...first });
    case 'dropout':
      return tf.layers.dropout({ ...first, rate: layer.rate!, seed: seed + i });
    case 'batch_normalization':
      return tf.layers.batchNormalization({ ...first, momentum: layer.momentum ?? 0.99, epsilon: layer.epsilon ?? 0.001 });
    case 'dense':
      return tf.layers.dense({ ...first, units: layer.units!, activation: layer.activation ?? 'linear', kernelInitializer: init(), kernelRegularizer: regularizer(layer) });
  }
}

/**
 * @param inputShape one image, `[h, w, c]`.
 * @throws AppError BAD_USER_INPUT when the layers do not fit the shape (see walkLayers).
 */
export function buildCnn(spec: TrainingSpec, inputShape: readonly number[]): tf.LayersModel {
  walkLayers(spec.layers, inputShape);
  const model = tf.sequential();
  spec.layers.forEach((layer, i) => model.add(layerOf(layer, i, spec.seed, i === 0 ? [...inputShape] : undefined)));
  return compileNetwork(model, spec);
}
