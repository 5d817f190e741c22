/**
 * Named tensors in and out of a model, in the shape of the Open Inference Protocol (KServe V2,
 * https://kserve.github.io/website/latest/modelserving/data_plane/v2_protocol/): the contract
 * between the V2 REST routes and the GraphQL `infer` query on one side and the model families on
 * the other. A family whose models take named tensors (uploaded ONNX models) answers the scorer
 * method {@link INFER_TENSORS_METHOD}; the platform's own tabular models are fed a `[rows,
 * features]` FP32 tensor through their pipeline instead (src/modules/serving/infer.service.ts).
 *
 * Every value here survives structured clone, so it crosses to a scoring thread as is.
 */

/** V2 datatypes (the protocol's tensor data types table). */
export const TENSOR_DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES'] as const;

/** One V2 datatype, e.g. 'FP32', 'INT64', 'BYTES' (strings). */
export type TensorDatatype = (typeof TENSOR_DATATYPES)[number];

/**
 * A named tensor: `data` is the row-major flattening of `shape` (`prod(shape)` elements): numbers
 * for numeric types (INT64/UINT64 as numbers, exact up to 2^53), booleans for BOOL, strings for BYTES.
 */
export interface NamedTensor {
  name: string;
  datatype: TensorDatatype;
  /** Dimensions, e.g. `[batch, 1, 28, 28]`; every entry a non-negative integer. */
  shape: number[];
  data: number[] | boolean[] | string[] | Float32Array | Float64Array | Int32Array;
}

/** One input or output a model declares: a dynamic dimension is -1 (the protocol's convention). */
export interface TensorSpec {
  name: string;
  datatype: TensorDatatype;
  /** Dimensions; -1 where the model accepts any size (typically the batch, index 0). */
  shape: number[];
}

/**
 * The name of the scorer method (`Scorer.methods`) a family answers when its models take named
 * tensors: `(inputs: NamedTensor[], outputNames?: string[]) => NamedTensor[]`. Output names absent
 * = every output the model can serve.
 */
export const INFER_TENSORS_METHOD = 'inferTensors';

/** An output a model declares but cannot return (scikit-learn's ZipMap), and why / how to fix the export. */
export interface NotServedSpec {
  name: string;
  reason: string;
}

/**
 * The name of the scorer method that lists a named-tensor model's inputs and outputs:
 * `() => { inputs: TensorSpec[]; outputs: TensorSpec[]; notServed?: NotServedSpec[] }` (outputs the
 * model cannot serve, such as scikit-learn's ZipMap, are left out of `outputs` and listed in
 * `notServed`). Families without it are described from their pipeline.
 */
export const TENSOR_SPECS_METHOD = 'tensorSpecs';
