/**
 * Saving a trained TF.js model to bytes for the registry and loading it back, with no filesystem:
 * the same model.json topology + one weights buffer that tfjs-node's `file://` handler writes.
 */
import { tf } from '../../tf';
import { badInput } from '../../../lib/errors';
import type { FitResult, ModelArtifact, Scorer, StoredArtifact } from '../model-family';
import type { TrainingOutcome } from './train';

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

/**
 * Rebuilds a TF.js layers model from a stored artifact (weights as any Uint8Array view, e.g. after
 * a thread hop). Shared by every TF.js family's `load`.
 * @throws AppError BAD_USER_INPUT when the artifact has no model.json topology.
 */
export async function loadStoredLayersModel(stored: StoredArtifact): Promise<tf.LayersModel> {
  const topology = stored.topology as Record<string, unknown> | null;
  if (!topology || typeof topology !== 'object' || !topology.modelTopology) throw badInput(`A '${stored.framework}' artifact needs a model.json topology`);
  return loadArtifact({ topology, weights: Buffer.from(stored.weights.buffer, stored.weights.byteOffset, stored.weights.byteLength) });
}

/**
 * Trains `model` with `train` and packs a TF.js family's FitResult: the artifact, the in-memory
 * `scorer` (disposed here when training throws), the epochs and early stopping's outcome.
 */
export async function fitLayersModel(model: tf.LayersModel, scorer: Scorer, train: () => Promise<TrainingOutcome>): Promise<FitResult> {
  try {
    const outcome = await train();
    return {
      artifact: await saveArtifact(model),
      scorer,
      epochs: outcome.epochs,
      ...(outcome.bestEpoch !== undefined ? { bestEpoch: outcome.bestEpoch, stoppedEarly: outcome.stoppedEarly } : {}),
    };
  } catch (err) {
    scorer.dispose();
    throw err;
  }
}
