/**
 * Whether this thread's TF.js runtime is still usable. An aborted WebAssembly module (Emscripten's
 * `Aborted(...)`, e.g. XNNPACK out of memory) stays aborted: every later kernel of every model on
 * this thread fails, and TF.js cannot load the WASM backend a second time in one thread. A training
 * thread then ends itself (src/ml/train-task.ts); the API process, which scores on its main thread,
 * records it here and reports it on /healthz so the orchestrator restarts it.
 */
import { AppError } from '../lib/errors';

let fault: string | undefined;

/** Whether `err` is an abort of the WebAssembly runtime (as opposed to an error of one model or call). */
export function isRuntimeAbort(err: unknown): boolean {
  if (err instanceof AppError) return false; // thrown on purpose, whatever its message says
  if (err instanceof WebAssembly.RuntimeError) return true;
  const message = err instanceof Error ? err.message : String(err);
  return /^Aborted\(|^abort\(|RuntimeError: (abort|unreachable)/i.test(message);
}

/** Records that this thread's runtime aborted (the first reason is kept, bounded to 500 characters). */
export function markRuntimeFault(reason: string): void {
  fault ??= reason.slice(0, 500);
}

/** The reason this thread's runtime is unusable, or undefined while it is fine. */
export function runtimeFault(): string | undefined {
  return fault;
}
