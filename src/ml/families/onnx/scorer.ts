/**
 * A loaded ONNX model as a {@link Scorer}: named tensors in and out through
 * {@link INFER_TENSORS_METHOD} (on a scoring thread or inline, like every family's methods), its
 * declared tensors through {@link TENSOR_SPECS_METHOD}. `score` (one FP32 matrix) is not supported:
 * uploaded models take named, typed tensors.
 */
import { AppError, badInput } from '../../../lib/errors';
import { INFER_TENSORS_METHOD, TENSOR_SPECS_METHOD, type NamedTensor, type TensorSpec } from '../../tensor-io';
import type { Scorer } from '../model-family';
import { ort, type OrtSession, type OrtTensor } from './runtime';
import { clientMessage } from './servable';
import type { OnnxServing } from './serving-info';
import { v2Spec, type NotServedOutput } from './specs';
import { checkInputs, fromOrtTensor, outputsToFetch, toOrtTensor } from './tensors';

const dispose = (t: OrtTensor) => (t as { dispose?: () => void }).dispose?.();

/**
 * @param session an open session of the model, opened by the runtime this process has now (../runtime.ts;
 *   the scorer builds its tensors with that one); released by the scorer's `dispose`.
 * @param info the version's declared tensors (./serving-info.ts).
 */
export function onnxScorer(session: OrtSession, info: OnnxServing): Scorer {
  let disposed = false;
  const o = ort(); // the runtime that opened the session builds its tensors
  /**
   * @param inputs every model input once, checked against its declared datatype and shape.
   * @param outputNames served outputs to return (Default: every served output).
   * @returns the outputs in the order asked; data as copied typed arrays or plain arrays.
   * @throws AppError BAD_USER_INPUT naming the input or output (expected vs got), or carrying the
   *   runtime's message when the model refuses inputs that fit the declared shapes (e.g. a batch
   *   size that differs between inputs).
   */
  async function inferTensors(inputs: NamedTensor[], outputNames?: string[]): Promise<NamedTensor[]> {
    if (disposed) throw new Error('ONNX scorer used after dispose()');
    const checked = checkInputs(inputs, info.inputs);
    const fetch = outputsToFetch(outputNames ?? undefined, info.outputs, info.notServed);
    const feeds: Record<string, OrtTensor> = {};
    let results: Record<string, OrtTensor> = {};
    try {
      for (const [name, { input, spec }] of checked) feeds[name] = toOrtTensor(o, input, spec);
      try {
        results = (await session.run(
          feeds,
          fetch.map((s) => s.name),
        )) as Record<string, OrtTensor>;
      } catch (err) {
        throw badInput(`The model could not run on these inputs: ${clientMessage(String((err as Error)?.message ?? err)).slice(0, 300)}`);
      }
      return fetch.map((spec) => fromOrtTensor(spec.name, spec, results[spec.name]!));
    } finally {
      Object.values(feeds).forEach(dispose);
      Object.values(results).forEach(dispose);
    }
  }
  return namedTensorScorer(info, inferTensors, () => {
    if (disposed) return;
    disposed = true;
    void session.release().catch(() => undefined);
  });
}

/**
 * The Scorer of an uploaded model, wherever its session lives (here, or an ONNX host:
 * ./host/hosted-scorer.ts): named tensors through `inferTensors`, its declared tensors through
 * `tensorSpecs`; `score` (feature rows) is NOT_SUPPORTED.
 */
export function namedTensorScorer(
  info: OnnxServing,
  inferTensors: (inputs: NamedTensor[], outputNames?: string[]) => NamedTensor[] | Promise<NamedTensor[]>,
  dispose: () => void,
): Scorer {
  const first = info.inputs[0];
  const tensorSpecs = (): { inputs: TensorSpec[]; outputs: TensorSpec[]; notServed: NotServedOutput[] } => ({
    inputs: info.inputs.map(v2Spec),
    outputs: info.outputs.map(v2Spec),
    notServed: info.notServed.map((o) => ({ ...o })),
  });
  return {
    inputShape: first ? first.shape.slice(first.batchDimension === 0 ? 1 : 0) : [],
    outputShape: info.outputs[0] ? info.outputs[0].shape.slice(info.outputs[0].batchDimension === 0 ? 1 : 0) : [],
    score() {
      throw new AppError('NOT_SUPPORTED', 'Uploaded ONNX models take named tensors (the infer query or the V2 REST routes) or images (predictImage), not feature rows');
    },
    methods: { [INFER_TENSORS_METHOD]: inferTensors, [TENSOR_SPECS_METHOD]: tensorSpecs },
    dispose,
  };
}
