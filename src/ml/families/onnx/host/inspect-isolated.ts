/**
 * Upload validation in a throwaway ONNX host (./hosts.ts): a crafted file that crashes
 * onnxruntime's parser, eats memory or hangs ends that process only, and the upload is refused.
 */
import { AppError } from '../../../../lib/errors';
import type { OnnxSpecs } from '../specs';
import { OnnxHostCrash } from './host-process';
import { onnxHostSettings, throwawayHost } from './hosts';

/**
 * {@link ../inspect.ts inspectOnnx}, in a child process bounded by ONNX_INSPECT_TIMEOUT_MS and
 * ONNX_HOST_MAX_RSS_MB.
 * @throws AppError INVALID_MODEL as inspectOnnx throws it, and with `details.reason` RUNTIME_CRASH
 *   (the runtime crashed or ran out of memory on the file) or TIMEOUT, naming the file.
 */
export async function inspectOnnxIsolated(bytes: Uint8Array, filename: string): Promise<OnnxSpecs> {
  const file = `'${filename.slice(0, 100)}'`;
  if (bytes.length === 0) throw new AppError('INVALID_MODEL', `File ${file} is empty`, { reason: 'EMPTY' });
  const host = throwawayHost();
  try {
    return await host.request({ op: 'inspect', bytes, filename }, onnxHostSettings().inspectTimeoutMs);
  } catch (err) {
    if (!(err instanceof OnnxHostCrash)) throw err;
    if (err.hostEnd === 'TIMEOUT')
      throw new AppError(
        'INVALID_MODEL',
        `File ${file} could not be validated: the ONNX runtime took longer than ONNX_INSPECT_TIMEOUT_MS=${onnxHostSettings().inspectTimeoutMs} ms`,
        { reason: 'TIMEOUT', filename: filename.slice(0, 100) },
      );
    throw new AppError('INVALID_MODEL', `File ${file} crashed the ONNX runtime while it was being validated (${err.reason})`, {
      reason: 'RUNTIME_CRASH',
      filename: filename.slice(0, 100),
    });
  } finally {
    await host.close();
  }
}
