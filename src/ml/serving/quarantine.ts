/**
 * Model versions refused for a while after their scoring crashed the runtime they ran in
 * (SERVING_QUARANTINE_SECONDS), so one version cannot crash runtimes in a loop and its callers are
 * told at once, with the same error as the call that crashed. Used by the scoring threads
 * (scoring-threads.ts: a thread died) and inline (src/modules/serving/scoring-guard.ts: the WASM
 * runtime aborted on the main thread). Per process, like the runtimes it protects.
 */
import { RuntimeFaultError } from './runtime-fault-error';

export class Quarantine {
  private readonly entries = new Map<string, { until: number; reason: string }>();

  /** @param seconds how long a version is refused after its fault (SERVING_QUARANTINE_SECONDS). */
  constructor(readonly seconds: number) {}

  /**
   * Quarantines `versionId` for {@link seconds} from now (again, if it already was).
   * @returns the error for the call that crashed (MODEL_NOT_READY, `fault: 'RUNTIME_FAULT'`).
   */
  add(versionId: string, reason: string): RuntimeFaultError {
    const bounded = reason.slice(0, 300);
    this.entries.set(versionId, { until: Date.now() + this.seconds * 1000, reason: bounded });
    return new RuntimeFaultError(versionId, bounded, this.seconds, false);
  }

  /** The error for a call of a version already quarantined (with the first fault's reason), as {@link add} gives. */
  errorFor(versionId: string, reason: string): RuntimeFaultError {
    return new RuntimeFaultError(versionId, this.entries.get(versionId)?.reason ?? reason.slice(0, 300), this.seconds, false);
  }

  /** @throws RuntimeFaultError (MODEL_NOT_READY, `fault: 'RUNTIME_FAULT'`, `retryAfterSeconds`: the time left) while `versionId` is quarantined. */
  refuse(versionId: string): void {
    const q = this.entries.get(versionId);
    if (!q) return;
    const left = q.until - Date.now();
    if (left <= 0) this.entries.delete(versionId);
    else throw new RuntimeFaultError(versionId, q.reason, Math.ceil(left / 1000), true);
  }

  /** Versions refused now. */
  size(): number {
    const now = Date.now();
    for (const [id, q] of this.entries) if (q.until <= now) this.entries.delete(id);
    return this.entries.size;
  }
}
