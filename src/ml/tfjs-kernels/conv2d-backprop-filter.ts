/**
 * Conv2DBackpropFilter for the WASM backend (missing upstream: tfjs#8474), i.e. the weight gradient
 * of a 2-D convolution, computed as ONE forward WASM (XNNPACK) convolution on transposed tensors:
 *
 *   dW[i, j, ci, co] = Σ_{n, oh, ow} xPad[n, oh·s + i, ow·s + j, ci] · dy[n, oh, ow, co]
 *
 * which is a forward convolution of `xPad` transposed to `[Cin, Hp, Wp, N]` (batch ↔ channels)
 * with `dy` transposed to `[OH, OW, N, Cout]` used as the filter, dilated by the forward stride `s`,
 * stride 1, 'valid' padding: its output `[Cin, ≥fh, ≥fw, Cout]` is sliced to `[Cin, fh, fw, Cout]`
 * and transposed to `[fh, fw, Cin, Cout]`. TF.js' conv2d gradient refuses dilations > 1
 * (tfjs-core Conv2D_grad), so the forward stride is the only spacing this kernel has to handle.
 * Measured (notes/tfjs.md): ~3× faster than an im2col + matMul route and ~25× faster than
 * copying to the cpu kernel. Only NHWC ('channelsLast'), as the WASM forward Conv2D.
 */
import * as tf from '@tensorflow/tfjs';

type Info = tf.TensorInfo;

/** The parts of the WASM backend this kernel calls (it is not exported as a type by the package). */
interface WasmBackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
}

/** Calls another WASM kernel by name, as the backend's own composite kernels do. */
function run(name: string, backend: WasmBackendLike, inputs: Record<string, Info>, attrs: Record<string, unknown>): Info {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`Conv2DBackpropFilter (wasm) needs the '${name}' kernel, which the wasm backend lacks`);
  return kernel.kernelFunc({ inputs, backend: backend as never, attrs: attrs as never }) as Info;
}

/**
 * The kernel function.
 * @param args.inputs `x` `[batch, h, w, inChannels]`, `dy` `[batch, outH, outW, outChannels]`.
 * @param args.attrs strides, pad ('same' | 'valid' | number | explicit), dataFormat (NHWC only),
 *   dimRoundingMode, filterShape `[fh, fw, inChannels, outChannels]`.
 * @returns dW `[fh, fw, inChannels, outChannels]`, float32.
 * @throws Error for NCHW data.
 */
function conv2dBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): Info {
  const backend = args.backend as WasmBackendLike;
  const x = args.inputs.x as Info;
  const dy = args.inputs.dy as Info;
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (attrs.dataFormat === 'NCHW') throw new Error("Conv2DBackpropFilter (wasm) supports only dataFormat 'NHWC'");
  const filterShape = attrs.filterShape;
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const [fh, fw, inChannels, outChannels] = filterShape;
  const { top, bottom, left, right } = info.padInfo;
  const temporaries: Info[] = [];
  const keep = (t: Info): Info => (temporaries.push(t), t);
  try {
    // xPad [N, Hp, Wp, Cin] → [Cin, Hp, Wp, N]. Negative "padding" cannot happen: padInfo ≥ 0.
    const needsPad = top + bottom + left + right > 0;
    const xPad = needsPad
      ? keep(
          run(
            'PadV2',
            backend,
            { x },
            {
              paddings: [
                [0, 0],
                [top, bottom],
                [left, right],
                [0, 0],
              ],
              constantValue: 0,
            },
          ),
        )
      : x;
    const xT = keep(run('Transpose', backend, { x: xPad }, { perm: [3, 1, 2, 0] }));
    // dy [N, OH, OW, Cout] → [OH, OW, N, Cout], the filter of the forward convolution.
    const dyT = keep(run('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] }));
    const conv = keep(
      run(
        'Conv2D',
        backend,
        { x: xT, filter: dyT },
        { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [info.strideHeight, info.strideWidth], dimRoundingMode: undefined },
      ),
    );
    // conv: [Cin, ≥fh, ≥fw, Cout]; rows past fh come from padding a floor-divided output leaves unused.
    const exact = conv.shape[1] === fh && conv.shape[2] === fw ? conv : keep(run('Slice', backend, { x: conv }, { begin: [0, 0, 0, 0], size: [inChannels, fh, fw, outChannels] }));
    return run('Transpose', backend, { x: exact }, { perm: [1, 2, 0, 3] });
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/** The kernel config, appended to KERNELS in ./index.ts. */
export const conv2dBackpropFilterKernel: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
};
