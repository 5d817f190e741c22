/**
 * The ONNX runtime: onnxruntime-node (native CPU binaries inside the npm package), imported on first
 * use so a process that never serves an ONNX model does not load it, and a platform where the
 * native package cannot load fails only ONNX work (NOT_SUPPORTED), not the whole service.
 * There is no onnxruntime-web (WASM) fallback yet.
 */
import type * as Ort from 'onnxruntime-node';
import { AppError } from '../../../lib/errors';

export type OrtModule = typeof Ort;
export type OrtSession = Ort.InferenceSession;
export type OrtTensor = Ort.Tensor;

let runtime: OrtModule | undefined;

/**
 * @returns the onnxruntime-node module (loaded once per thread).
 * @throws AppError NOT_SUPPORTED when the native package cannot load here.
 */
export function ort(): OrtModule {
  if (runtime) return runtime;
  try {
    runtime = require('onnxruntime-node') as OrtModule;
  } catch (err) {
    throw new AppError('NOT_SUPPORTED', `The ONNX runtime (onnxruntime-node) cannot load on this server: ${String((err as Error)?.message ?? err).slice(0, 200)}`);
  }
  return runtime;
}

/**
 * Opens a session on a model's bytes, CPU only, warnings off (old PyTorch exports print one per
 * initializer listed among the graph inputs), one thread per session (intra- and inter-op), so one
 * call cannot take every core of the machine from the other tenants.
 * @throws whatever onnxruntime throws for unreadable bytes (see ./inspect.ts for the coded errors).
 */
export async function openSession(bytes: Uint8Array): Promise<OrtSession> {
  return ort().InferenceSession.create(bytes, { logSeverityLevel: 3, executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 });
}
