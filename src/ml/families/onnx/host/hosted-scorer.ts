/**
 * A loaded ONNX model whose session lives in this thread's ONNX host processes (./hosts.ts), as a
 * {@link Scorer}: the same methods as ../scorer.ts (which runs inside the host), forwarded. The
 * model's bytes are kept here, so when the host ended under another model the next call loads it
 * into the fresh host and runs; a call waiting behind the crashing one is sent once more. A call
 * runs in the host of its host slot (./hosts.ts withHostSlot), the model loaded there first when
 * that host has not run it yet.
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
  /** The hosts the model is loaded (or loading) in; an ended host is dropped when next asked. */
  const loaded = new Map<OnnxHost, Promise<LoadedInHost>>();

  /** The current slot's host, the model loaded in it (first, when it is a fresh one or has not run it). */
  async function ready(): Promise<{ host: OnnxHost; done: Promise<LoadedInHost> }> {
    const host = servingHost();
    for (const h of loaded.keys()) if (h.ended) loaded.delete(h);
    let done = loaded.get(host);
    if (!done) {
      const loading = host.request({ op: 'load', model, bytes, info }, onnxHostSettings().inferTimeoutMs);
      loaded.set(host, loading);
      loading.catch(() => {
        if (loaded.get(host) === loading) loaded.delete(host); // a failed load is not kept
      });
      done = loading;
    }
    await done;
    return { host, done };
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
        const { host } = await ready();
        return await host.request({ op: 'infer', model, inputs, ...(outputNames ? { outputNames } : {}) }, onnxHostSettings().inferTimeoutMs);
      } catch (err) {
        if (err instanceof OnnxHostLost && attempt === 0) continue; // another model crashed the host: once more on a fresh one
        throw err;
      }
    }
  }

  const { measuredBytes } = await (await ready()).done; // the first host's figure (a load into another or a fresh host is not re-weighed)
  const scorer = namedTensorScorer(info, inferTensors, () => {
    if (disposed) return;
    disposed = true;
    const hosts = [...loaded.keys()];
    loaded.clear();
    for (const host of hosts) if (!host.ended) host.request({ op: 'unload', model }).catch(() => undefined); // a host gone meanwhile took the model with it
  });
  return { ...scorer, measuredBytes };
}
