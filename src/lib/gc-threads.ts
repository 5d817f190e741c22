/**
 * Where V8 collects the young generation in the API process. By default each scavenge runs on
 * helper threads (V8's parallel scavenge): on a machine whose cores are busy — the API's main thread,
 * its scoring threads, the clients — the helpers wait for each other and for a core, and their CPU
 * shows up as a third of the API's per request (bench/v2.ts measures it per thread). V8 reads the
 * `parallel_scavenge` flag at every scavenge, so setting it at start-up applies to the whole process
 * (its scoring threads too); GC_PARALLEL_SCAVENGE=true leaves V8's default.
 */
import v8 from 'node:v8';

/** Applies GC_PARALLEL_SCAVENGE; call once, early, in the API process. */
export function applyGcThreads(config: { GC_PARALLEL_SCAVENGE: boolean }): void {
  v8.setFlagsFromString(config.GC_PARALLEL_SCAVENGE ? '--parallel-scavenge' : '--no-parallel-scavenge');
}
