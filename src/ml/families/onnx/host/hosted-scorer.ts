/**
 * A loaded ONNX model whose session lives in this thread's ONNX host process (./hosts.ts), as a
 * {@link Scorer}: the same methods as ../scorer.ts (which runs inside the host), forwarded. The
 * model's bytes are kept here, so when the host ended under another model the next call loads it
 * into the fresh host and runs; a call waiting behind the crashing one is sent once more.
 */
import type { NamedTensor } from '../../../tensor-io';
import type { Scorer } from '../../model-family';
import { namedTensorScorer } from '../scorer';
import type { OnnxServing } from '../serving-info';
import { OnnxHostLost, type OnnxHost } from './host-process';
import type { LoadedInHost } from './protocol';
import { onnxHostSettings, servingHost } from './hosts';

let models = 0;

/**
 * Loads the model into this thread's host.
 * @param bytes the model file (kept to load it again into a fresh host).
 * @throws AppError as opening the session throws it; OnnxHostCrash (MODEL_NOT_READY, `fault:
 *   'RUNTIME_FAULT'`) when the host ended while opening it.
 */
export async function hostedOnnxScorer(bytes: Uint8Array, info: OnnxServing): Promise<Scorer> {
  const model = `${info.sha256.slice(0, 12)}#${++models}`;
  let disposed = false;
  let loaded: { host: OnnxHost; done: Promise<LoadedInHost> } | undefined;

  /** The host holding the model now (loading it there first when it is a fresh one). */
  async function ready(): Promise<OnnxHost> {
    const host = servingHost();
    if (loaded?.host !== host) {
      const done = host.request({ op: 'load', model, bytes, info }, onnxHostSettings().inferTimeoutMs);
      loaded = { host, done };
      done.catch(() => {
        if (loaded?.done === done) loaded = undefined; // a failed load is not kept
      });
    }
    await loaded.done;
    return host;
  }

  /**
   * @returns the outputs asked (Default: every served output), in that order.
   * @throws AppError BAD_USER_INPUT naming the input or output (checked in the host, ../tensors.ts);
   *   OnnxHostCrash when this call ended the host.
   */
  async function inferTensors(inputs: NamedTensor[], outputNames?: string[]): Promise<NamedTensor[]> {
    if (disposed) throw new Error('ONNX scorer used after dispose()');
    for (let attempt = 0; ; attempt++) {
      try {
        const host = await ready();
        return await host.request({ op: 'infer', model, inputs, ...(outputNames ? { outputNames } : {}) }, onnxHostSettings().inferTimeoutMs);
      } catch (err) {
        if (err instanceof OnnxHostLost && attempt === 0) continue; // another model crashed the host: once more on a fresh one
        throw err;
      }
    }
  }

  await ready();
  const { measuredBytes } = await loaded!.done; // the first host's figure (a reload into a fresh host is not re-weighed)
  const scorer = namedTensorScorer(info, inferTensors, () => {
    if (disposed) return;
    disposed = true;
    const host = loaded?.host;
    loaded = undefined;
    if (host && !host.ended) host.request({ op: 'unload', model }).catch(() => undefined); // a host gone meanwhile took the model with it
  });
  return { ...scorer, measuredBytes };
}
