/**
 * Which ONNX host serves what (per thread: the API's main thread, each scoring thread). Serving:
 * long-lived hosts per thread that load ONNX models — with SERVING_ISOLATION=thread up to
 * ONNX_HOSTS_PER_THREAD per scoring shard, holding that shard's ONNX versions (a version is pinned
 * to a shard by its id, src/ml/serving/scoring-threads.ts), and inline one host for the process.
 * Which of a thread's hosts a call uses is its *host slot*, chosen by the shard's host lane
 * (src/ml/serving/fair-queue.ts) and set around the call with {@link withHostSlot}; a host starts
 * on the first call of its slot, and a model is loaded into each host that runs it. When a host
 * ends, the next call of its slot starts a fresh one. Upload validation: a throwaway host per file
 * (./inspect-isolated.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { shuttingDown } from '../../../serving/shutting-down';
import { DEFAULT_HOST_SETTINGS, OnnxHost, type OnnxHostSettings } from './host-process';

let settings: OnnxHostSettings = DEFAULT_HOST_SETTINGS;
/** The serving host of each slot (slot 0 when no call set one). */
const serving: (OnnxHost | undefined)[] = [];
/** The host slot of the call running now (see withHostSlot). */
const slotOfCall = new AsyncLocalStorage<number>();
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

/** Runs `fn` with `slot` as the host slot of every {@link servingHost} it (and what it awaits) asks for. */
export function withHostSlot<T>(slot: number, fn: () => T): T {
  return slotOfCall.run(slot, fn);
}

/**
 * This thread's serving host of the current host slot (see {@link withHostSlot}; 0 outside one):
 * the running one, or a fresh one after it ended.
 * @throws AppError MODEL_NOT_READY (`reason: 'SHUTTING_DOWN'`) after a final {@link closeOnnxHosts}.
 */
export function servingHost(): OnnxHost {
  const slot = slotOfCall.getStore() ?? 0;
  const host = serving[slot];
  if (host && !host.ended) return host;
  if (closedForGood) throw shuttingDown();
  return (serving[slot] = track(new OnnxHost(settings)));
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
  serving.length = 0;
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
