/**
 * UnsortedSegmentSum for the TF.js WASM backend, which has none (tfjs issue 8082). It is the
 * gradient of gather, so every embedding layer needs it to train: `out[s, ...] = Σ x[i, ...]` over
 * the rows `i` whose segment id is `s`.
 *
 * Semantics, as tf.math.unsorted_segment_sum: `segmentIds` has the shape of a prefix of `x`'s;
 * the output is `[numSegments, ...x.shape[segmentIds.rank:]]`; rows with a negative id are dropped
 * (TF's documented behaviour). Ids ≥ numSegments are dropped too, as TF.js' cpu kernel does (TF's
 * CPU kernel raises instead; the gather gradient never produces them).
 *
 * A plain loop over the WASM heap: 1.0 ms a call where routing through the cpu backend took ~5 s
 * (measured in /work/shared/notes/tfjs.md, tfjs 4.22). The output is allocated before any heap view
 * is taken: an allocation can grow WASM memory, which detaches views made earlier.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** @returns the output tensor info, `[numSegments, ...inner]`, of x's dtype. */
function unsortedSegmentSum(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (args.attrs as { numSegments: number }).numSegments;
  const outer = tf.util.sizeFromShape(segmentIds.shape);
  const innerShape = x.shape.slice(segmentIds.shape.length);
  const inner = tf.util.sizeFromShape(innerShape);
  if (segmentIds.shape.some((d, k) => d !== x.shape[k])) {
    throw new Error(`UnsortedSegmentSum: segmentIds shape [${segmentIds.shape}] is not a prefix of x shape [${x.shape}]`);
  }
  const out = backend.makeOutput([numSegments, ...innerShape], x.dtype); // first: it may grow memory
  const result = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  const values = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const ids = backend.typedArrayFromHeap(segmentIds) as Int32Array;
  result.fill(0);
  for (let i = 0; i < outer; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const from = i * inner;
    const to = s * inner;
    for (let k = 0; k < inner; k++) result[to + k] += values[from + k];
  }
  return out;
}

/** The kernel config for `tf.registerKernel` (backend set by ./index.ts). */
export const unsortedSegmentSumKernel: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc,
};
