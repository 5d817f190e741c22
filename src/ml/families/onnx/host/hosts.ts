/**
 * Which ONNX host serves what (per thread: the API's main thread, each scoring thread). Serving:
 * one long-lived host per thread that loads ONNX models — so with SERVING_ISOLATION=thread one host
 * per scoring shard, holding that shard's ONNX versions (a version is pinned to a shard by its id,
 * src/ml/serving/scoring-threads.ts), and inline one host for the process. When it ends, the next
 * call starts a fresh one. Upload validation: a throwaway host per file (./inspect-isolated.ts).
 */
import { shuttingDown } from '../../../serving/shutting-down';
import { DEFAULT_HOST_SETTINGS, OnnxHost, type OnnxHostSettings } from './host-process';

let settings: OnnxHostSettings = DEFAULT_HOST_SETTINGS;
let serving: OnnxHost | undefined;
/** Set by a final {@link closeOnnxHosts} (a scoring thread about to stop): no host starts again. */
let closedForGood = false;
const live = new Set<OnnxHost>();

/** Sets how this thread's hosts are started (from config; a scoring thread gets them with each load). */
export function configureOnnxHosts(next: Partial<OnnxHostSettings> | undefined): void {
  if (next) settings = { ...DEFAULT_HOST_SETTINGS, ...next };
}

/** The settings hosts of this thread start with. */
export function onnxHostSettings(): OnnxHostSettings {
  return settings;
}

/**
 * This thread's serving host: the running one, or a fresh one after it ended.
 * @throws AppError MODEL_NOT_READY (`reason: 'SHUTTING_DOWN'`) after a final {@link closeOnnxHosts}.
 */
export function servingHost(): OnnxHost {
  if (serving && !serving.ended) return serving;
  if (closedForGood) throw shuttingDown();
  serving = track(new OnnxHost(settings));
  return serving;
}

/** A host for one job (an upload's validation); the caller closes it. */
export function throwawayHost(): OnnxHost {
  return track(new OnnxHost(settings));
}

/**
 * Ends every host this thread started (their pending requests fail at once) and waits for their
 * processes to go (app.stop, tests).
 * @param final no serving host starts again in this thread (a scoring thread about to stop: a call
 *   that was waiting behind a killed one must not start a fresh host). (Default: false)
 */
export async function closeOnnxHosts(final = false): Promise<void> {
  if (final) closedForGood = true;
  const hosts = [...live];
  serving = undefined;
  await Promise.all(hosts.map((h) => h.close()));
}

/** Process ids of this thread's hosts still running (tests check none outlives the server). */
export function onnxHostPids(): number[] {
  return [...live].filter((h) => !h.ended && h.pid !== undefined).map((h) => h.pid!);
}

function track(host: OnnxHost): OnnxHost {
  live.add(host);
  void host.closed.then(() => live.delete(host));
  return host;
}
