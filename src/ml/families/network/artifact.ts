/**
 * Saving a trained TF.js model to bytes for the registry and loading it back, with no filesystem:
 * the same model.json topology + one weights buffer that tfjs-node's `file://` handler writes.
 */
import { tf } from '../../tf';
import type { ModelArtifact } from '../model-family';

/** Serialises `model`. Exact: loading the artifact gives bit-identical predictions. */
export async function saveArtifact(model: tf.LayersModel): Promise<ModelArtifact> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const data = saved!.weightData;
  const buffers = data === undefined ? [] : Array.isArray(data) ? data : [data];
  return {
    topology: {
      modelTopology: saved!.modelTopology,
      weightSpecs: saved!.weightSpecs,
      format: saved!.format ?? 'layers-model',
      generatedBy: saved!.generatedBy,
    },
    weights: Buffer.concat(buffers.map((b) => Buffer.from(b))),
  };
}

/** Rebuilds a model from an artifact. The caller owns it and must `dispose()` it. */
export async function loadArtifact(artifact: ModelArtifact): Promise<tf.LayersModel> {
  const { weights } = artifact;
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: artifact.topology.modelTopology as object,
      weightSpecs: artifact.topology.weightSpecs as tf.io.WeightsManifestEntry[],
      weightData,
    }),
  );
}
