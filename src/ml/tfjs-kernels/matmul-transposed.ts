/**
 * BatchMatMul with `transposeA` or `transposeB` on the WASM backend, done as an explicit Transpose
 * followed by a plain (XNNPACK) BatchMatMul. The stock kernel takes a slow path whenever either flag
 * is set, and a dense layer's gradients set them on every step: dW = xᵀ·dy (`transposeA`) and
 * dx = dy·Wᵀ (`transposeB`), tfjs-core's MatMul and _FusedMatMul gradients. Measured on this
 * machine kind, batch 32 × 256 × 256: ~3.5 ms per product with a flag, ~0.45 ms transposed then
 * plain (BENCHMARKS.md, "Tabular training against PyTorch"). Small products (below
 * MIN_MULTIPLY_ADDS) keep the stock path, where an extra kernel call costs more than it saves.
 *
 * This wraps the backend's own kernel (it is not missing, only slow), so `registerMissingWasmKernels`
 * installs it through {@link useExplicitTranspose} rather than KERNELS.
 */
import * as tf from '@tensorflow/tfjs';
import { kernelWrapper } from './kernel-wrapper';

type Info = tf.TensorInfo;

/** The parts of the WASM backend this kernel calls (it is not exported as a type by the package). */
interface WasmBackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
}

/** Products of fewer multiply-adds (m·k·n per batch) than this keep the stock path: 32 × 32 × 32. */
export const MIN_MULTIPLY_ADDS = 32 * 32 * 32;

/** `x` with its last two dimensions swapped, through the WASM Transpose kernel. */
function transposeLast2(x: Info, backend: WasmBackendLike): Info {
  const rank = x.shape.length;
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  return tf.getKernel('Transpose', 'wasm')!.kernelFunc({ inputs: { x }, backend: backend as never, attrs: { perm } }) as Info;
}

/**
 * The kernel function.
 * @param args.inputs `a` `[..., m, k]` (or `[..., k, m]` with transposeA), `b` `[..., k, n]` (or `[..., n, k]` with transposeB).
 * @returns `[..., m, n]`, as the stock kernel.
 */
function explicitTransposeBatchMatMul(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): Info {
  const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
  const a = args.inputs.a as Info;
  const b = args.inputs.b as Info;
  const [m, k] = transposeA ? [a.shape.at(-1)!, a.shape.at(-2)!] : [a.shape.at(-2)!, a.shape.at(-1)!];
  const n = transposeB ? b.shape.at(-2)! : b.shape.at(-1)!;
  if ((!transposeA && !transposeB) || m * k * n < MIN_MULTIPLY_ADDS) return wrapper.stock(args as never) as Info;
  const backend = args.backend as WasmBackendLike;
  const temporaries: Info[] = [];
  try {
    const plainA = transposeA ? (temporaries.push(transposeLast2(a, backend)), temporaries.at(-1)!) : a;
    const plainB = transposeB ? (temporaries.push(transposeLast2(b, backend)), temporaries.at(-1)!) : b;
    return wrapper.stock({ ...args, inputs: { a: plainA, b: plainB }, attrs: { ...args.attrs, transposeA: false, transposeB: false } } as never) as Info;
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

const wrapper = kernelWrapper('BatchMatMul', explicitTransposeBatchMatMul as unknown as tf.KernelFunc);

/**
 * Puts the explicit-transpose BatchMatMul in place of the WASM backend's own (`on`), or the stock
 * kernel back (`!on`). Idempotent; does nothing before the WASM backend is loaded.
 * @returns whether the wrapper is registered after the call.
 */
export const useExplicitTranspose = (on: boolean): boolean => wrapper.use(on);
