/**
 * Slice on the WASM backend without copying its whole input out of WASM memory first. The stock
 * kernel (tfjs-backend-wasm `slice`) calls `backend.readSync(x)` — a copy of all of `x` — on every
 * call, even for a contiguous slice of a few rows. A training step takes its batch as a slice of the
 * epoch's tensor (../families/network/train-epoch.ts), so on MNIST (8,000 × 784 float32, 25 MB)
 * every step of 32 images copied 25 MB: ~60 % of a CNN epoch's time (36 s against 15 s with
 * `model.fit`, which gathers its batches instead; profile in BENCHMARKS.md).
 *
 * A contiguous slice (`tf.slice_util.isSliceContinous`: e.g. rows `[start, start + n)` of any
 * tensor) of a numeric tensor is copied here from a view of WASM memory, only the bytes it keeps.
 * The output is allocated first and the views taken after, since an allocation may grow (and so
 * move) WASM memory. Every other slice (strided, strings) keeps the stock path.
 *
 * This wraps the backend's own kernel, as ./matmul-transposed.ts does; installed by
 * `registerMissingWasmKernels` through {@link useSliceView}.
 */
import * as tf from '@tensorflow/tfjs';
import { kernelWrapper } from './kernel-wrapper';

type Info = tf.TensorInfo;

/** The parts of the WASM backend this kernel calls (it is not exported as a type by the package). */
interface WasmBackendLike {
  dataIdMap: { get(dataId: object): unknown };
  makeOutput(shape: number[], dtype: tf.DataType): Info;
  typedArrayFromHeap(t: Info): Float32Array | Int32Array | Uint8Array;
}

/**
 * The kernel function.
 * @param args.inputs `x` of any shape; attrs `begin`, `size` as tf.slice takes them.
 * @returns the slice, shape `size` (with -1 resolved), as the stock kernel.
 */
function viewSlice(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): Info {
  const x = args.inputs.x as Info;
  const { begin, size } = args.attrs as unknown as tf.SliceAttrs;
  if (x.dtype === 'string') return wrapper.stock(args as never) as Info;
  const [begin_, size_] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
  if (!tf.slice_util.isSliceContinous(x.shape, begin_, size_)) return wrapper.stock(args as never) as Info;
  const backend = args.backend as WasmBackendLike;
  // Brings x into WASM memory first when it still lives on another backend (the move allocates).
  backend.dataIdMap.get(x.dataId);
  const out = backend.makeOutput(size_, x.dtype);
  const offset = tf.slice_util.computeFlatOffset(begin_, tf.util.computeStrides(x.shape));
  const count = tf.util.sizeFromShape(size_);
  // Views taken after makeOutput: its allocation may have grown WASM memory.
  backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(x).subarray(offset, offset + count));
  return out;
}

const wrapper = kernelWrapper('Slice', viewSlice as unknown as tf.KernelFunc);

/**
 * Puts the view-copy Slice in place of the WASM backend's own (`on`), or the stock kernel back
 * (`!on`). Idempotent; does nothing before the WASM backend is loaded.
 * @returns whether the wrapper is registered after the call.
 */
export const useSliceView = (on: boolean): boolean => wrapper.use(on);
