/**
 * Uploaded ONNX models (issue 12): a family that is served, never trained here (`trainable: false`).
 * A version stores the model file as its weights and, in its pipeline's `onnx`, the checksum, the
 * declared tensors and the uploader's metadata (./serving-info.ts); `load` opens an
 * onnxruntime session (node, or web where the native package cannot load: ./runtime.ts) on the
 * bytes in an ONNX host process (./host/: onnxruntime is native code, so a crash or runaway
 * memory ends that process, not the server). Upload and validation:
 * ./inspect.ts (run in a throwaway host by ./host/inspect-isolated.ts) and
 * src/modules/registry/upload-version.service.ts.
 */
import { createHash } from 'node:crypto';
import { AppError, badInput } from '../../../lib/errors';
import type { ModelFamily } from '../model-family';
import { hostedOnnxScorer } from './host/hosted-scorer';

/** The `framework` of uploaded ONNX versions. */
export const ONNX_FRAMEWORK = 'onnx';

const notTrainable = () => badInput('spec.model ONNX cannot be trained here: upload an .onnx file as a model version instead (uploadModelVersion)', { field: 'spec.model' });

export const onnxFamily: ModelFamily<'onnx'> = {
  kind: 'onnx',
  framework: ONNX_FRAMEWORK,
  trainable: false,
  inputFormats: [],
  description: 'An uploaded ONNX model (PyTorch, scikit-learn, Keras … exports): served, not trained here',
  defaults: { standardize: false },
  scalesTarget: false,
  supports: { explain: false, batchPredict: false, importances: false },
  exampleSpec: () => ({ model: 'onnx' }),
  normalize() {
    throw notTrainable();
  },
  checkData() {
    throw notTrainable();
  },
  fit() {
    return Promise.reject(new AppError('NOT_SUPPORTED', 'ONNX models are uploaded (uploadModelVersion), not trained'));
  },
  /**
   * Opens the stored model after checking its bytes against the checksum taken at upload.
   * @throws AppError BAD_USER_INPUT for a version without ONNX serving information or whose bytes
   *   do not match their checksum; NOT_SUPPORTED when no ONNX runtime loads here;
   *   MODEL_NOT_READY (`fault: 'RUNTIME_FAULT'`) when opening it ended its host process.
   */
  async load(stored, pipeline) {
    const info = pipeline.onnx;
    if (!info) throw badInput('This ONNX model version has no serving information (inputs and outputs)');
    const sha256 = createHash('sha256').update(stored.weights).digest('hex');
    if (sha256 !== info.sha256) throw badInput(`This ONNX model version's stored bytes do not match their checksum (sha256 ${sha256} ≠ ${info.sha256})`);
    return hostedOnnxScorer(stored.weights, info);
  },
};
