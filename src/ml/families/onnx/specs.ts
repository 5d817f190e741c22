/**
 * What an ONNX model declares (onnxruntime's `inputMetadata` / `outputMetadata`) as the V2 tensor
 * specs of ../../tensor-io.ts: element types mapped to V2 datatypes, dynamic dimensions as -1,
 * non-tensor outputs (scikit-learn's ZipMap) listed as not served.
 *
 * Dynamic dimensions: onnxruntime-node reports them as strings (`""`, `"batch_size"`),
 * onnxruntime-web as 4294967295 (2^32 − 1); both are dynamic here. A larger number is a (huge) fixed
 * dimension, refused at upload (./servable.ts).
 */
import type { TensorDatatype, TensorSpec } from '../../tensor-io';

/** onnxruntime's element type names → V2 datatypes (types without a V2 counterpart are absent). */
export const ORT_TO_V2: Readonly<Record<string, TensorDatatype>> = {
  float32: 'FP32',
  float64: 'FP64',
  float16: 'FP16',
  int8: 'INT8',
  uint8: 'UINT8',
  int16: 'INT16',
  uint16: 'UINT16',
  int32: 'INT32',
  uint32: 'UINT32',
  int64: 'INT64',
  uint64: 'UINT64',
  bool: 'BOOL',
  string: 'BYTES',
};

/** V2 datatype → onnxruntime's element type name. */
export const V2_TO_ORT: Readonly<Record<TensorDatatype, string>> = Object.fromEntries(Object.entries(ORT_TO_V2).map(([k, v]) => [v, k])) as Record<TensorDatatype, string>;

/** A declared input or output, with what ONNX says beyond the V2 spec. */
export interface OnnxTensorSpec extends TensorSpec {
  /** The name of each dynamic dimension as the model declares it (`""` when unnamed); null for fixed ones. */
  dimNames: (string | null)[];
  /**
   * Which dimension is the batch (ONNX does not mark one): 0 when the first dimension is dynamic or
   * the tensor has two dimensions or more (fixed batch, e.g. mnist-8's `[1, 1, 28, 28]`); else null.
   */
  batchDimension: number | null;
}

/** An output the model declares but this server cannot return, and why. */
export interface NotServedOutput {
  name: string;
  reason: string;
}

/** How to get rid of a ZipMap output: the text users get wherever a non-tensor output is mentioned. */
export const ZIPMAP_FIX =
  "it is not a tensor (scikit-learn's ZipMap, a sequence of maps): onnxruntime cannot return it. Export the model without it: skl2onnx's to_onnx(..., options={id(model): {'zipmap': False}}) (or zipmap=False), which gives a tensor of probabilities";

/** onnxruntime's metadata of one value (a structural subset of `InferenceSession.ValueMetadata`). */
export type ValueMetadata = { name: string; isTensor: false } | { name: string; isTensor: true; type: string; shape: readonly (number | string)[] };

/** Whether a dimension reported by either runtime is dynamic. */
export const isDynamic = (d: number | string): boolean => typeof d === 'string' || d < 0 || d === 4294967295;

/**
 * @returns the spec of a tensor value, or the reason it cannot be served (non-tensor, or an element
 *   type with no V2 datatype such as bfloat16).
 */
export function tensorSpecOf(meta: ValueMetadata): OnnxTensorSpec | NotServedOutput {
  if (!meta.isTensor) return { name: meta.name, reason: ZIPMAP_FIX };
  const datatype = ORT_TO_V2[meta.type];
  if (!datatype) return { name: meta.name, reason: `its element type ${meta.type} has no Open Inference Protocol datatype` };
  const shape = meta.shape.map((d) => (isDynamic(d) ? -1 : Number(d)));
  const dimNames = meta.shape.map((d) => (isDynamic(d) ? (typeof d === 'string' ? d : '') : null));
  const batchDimension = shape.length >= 2 || shape[0] === -1 ? 0 : null;
  return { name: meta.name, datatype, shape, dimNames, batchDimension };
}

/** A model's servable inputs and outputs. */
export interface OnnxSpecs {
  inputs: OnnxTensorSpec[];
  outputs: OnnxTensorSpec[];
  notServed: NotServedOutput[];
}

const isSpec = (s: OnnxTensorSpec | NotServedOutput): s is OnnxTensorSpec => 'datatype' in s;

/**
 * Reads a session's declared inputs and outputs.
 * @returns the specs, and `badInputs`: inputs that cannot be fed (non-tensor or unmapped type).
 */
export function readSpecs(session: { inputMetadata: readonly ValueMetadata[]; outputMetadata: readonly ValueMetadata[] }): OnnxSpecs & { badInputs: NotServedOutput[] } {
  const ins = session.inputMetadata.map(tensorSpecOf);
  const outs = session.outputMetadata.map(tensorSpecOf);
  const notSpec = (s: OnnxTensorSpec | NotServedOutput): s is NotServedOutput => !isSpec(s);
  return { inputs: ins.filter(isSpec), badInputs: ins.filter(notSpec), outputs: outs.filter(isSpec), notServed: outs.filter((s) => !isSpec(s)) as NotServedOutput[] };
}

/** The V2 part of a spec (what `tensorSpecs` answers). */
export const v2Spec = (s: OnnxTensorSpec): TensorSpec => ({ name: s.name, datatype: s.datatype, shape: [...s.shape] });
