/**
 * Per-tenant back-off after repeated ONNX host faults (issue 10: "no way for one tenant to degrade
 * another's serving"). The quarantine (./quarantine.ts) refuses a version and its file after one
 * fault, but a tenant can upload many *different* bad files (the same model with one byte changed)
 * and crash the shared ONNX host again and again; every crash kills the calls of the other tenants
 * that wait behind it and costs them a host restart and reloading their models. So the faults each
 * tenant's models cause are counted in a sliding window: after SERVING_TENANT_MAX_FAULTS of them
 * within SERVING_TENANT_FAULT_WINDOW_SECONDS, the tenant's ONNX scoring calls and loads are refused
 * at once (never sent to the host) for SERVING_TENANT_BACKOFF_SECONDS, doubled on each repeat up to
 * a day (QUOTA_EXCEEDED, `reason: 'HOST_FAULT_BACKOFF'`).
 *
 * Decisions:
 * - Only the ONNX lane is refused: the tenant's TF.js and tree models compute in the scoring thread,
 *   not in the host, so they cannot crash it; a fault of theirs ends a scoring thread and is bounded
 *   by the quarantine by version (a trained version costs a training run, not an upload).
 * - Counted: an ONNX host that ended under the tenant's call or load (a native crash, memory past
 *   ONNX_HOST_MAX_RSS_MB, a call past ONNX_INFER_TIMEOUT_MS): one per host death, the one request
 *   the host was running (the requests behind it are not blamed). Not counted: an upload whose
 *   validation crashes its host (a throwaway host of its own, which no other tenant shares), and calls
 *   refused by the quarantine or by this back-off (they never reach the host).
 * - The fault window is emptied when a back-off starts, so each back-off takes that many new faults.
 *   The repeat count (the doubling) is forgotten once a day has passed since the end of the
 *   tenant's last back-off without another.
 * - Per process, like the hosts it protects (each API process has its own).
 */
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';

/** The longest back-off, seconds: the doubling stops here (a day). */
export const MAX_BACKOFF_SECONDS = 86_400;

export interface TenantFaultBackoffOptions {
  /** Faults within the window that start a back-off (SERVING_TENANT_MAX_FAULTS). (Default: 3) */
  maxFaults: number;
  /** The sliding window faults are counted in, seconds (SERVING_TENANT_FAULT_WINDOW_SECONDS). (Default: 600) */
  windowSeconds: number;
  /** The first back-off, seconds, doubled on each repeat up to {@link MAX_BACKOFF_SECONDS} (SERVING_TENANT_BACKOFF_SECONDS). (Default: 600) */
  backoffSeconds: number;
}

export const DEFAULT_TENANT_BACKOFF: TenantFaultBackoffOptions = { maxFaults: 3, windowSeconds: 600, backoffSeconds: 600 };

/** A back-off that {@link TenantFaultBackoff.record} just started (for the log). */
export interface BackoffStarted {
  tenantId: string;
  /** Faults counted in the window when it started (= maxFaults). */
  faults: number;
  /** Its length, seconds. */
  seconds: number;
  /** 1 for the tenant's first back-off, 2 for the next (twice as long), ... */
  repeat: number;
}

interface TenantState {
  /** Times of the faults in the window, ms since the epoch, oldest first. */
  faults: number[];
  /** When the current (or last) back-off ends, ms; 0 when none. */
  until: number;
  /** Back-offs so far (reset a day after the last one ended). */
  repeats: number;
}

export class TenantFaultBackoff {
  private readonly tenants = new Map<string, TenantState>();

  private readonly now: () => number;
  private readonly log?: Logger;

  /**
   * @param env.log told (warn, with the tenant id) of each back-off that starts.
   * @param env.now the clock, ms since the epoch (tests pass their own). (Default: Date.now)
   */
  constructor(
    readonly options: TenantFaultBackoffOptions = DEFAULT_TENANT_BACKOFF,
    env: { log?: Logger; now?: () => number } = {},
  ) {
    this.now = env.now ?? Date.now;
    this.log = env.log;
  }

  /**
   * Counts one host fault caused by `tenantId`'s model (and logs a back-off it starts).
   * @returns the back-off it started, when it was the tenant's `maxFaults`-th within the window;
   *   undefined otherwise (also when the tenant is already backed off).
   */
  record(tenantId: string): BackoffStarted | undefined {
    const now = this.now();
    this.sweep(now);
    const state = this.tenants.get(tenantId) ?? { faults: [], until: 0, repeats: 0 };
    this.tenants.set(tenantId, state);
    if (state.until > now) return undefined;
    state.faults.push(now);
    if (state.faults.length < this.options.maxFaults) return undefined;
    const faults = state.faults.length;
    const seconds = Math.min(MAX_BACKOFF_SECONDS, this.options.backoffSeconds * 2 ** Math.min(state.repeats, 30));
    state.repeats++;
    state.until = now + seconds * 1000;
    state.faults = [];
    const started = { tenantId, faults, seconds, repeat: state.repeats };
    this.log?.warn(
      { ...started, windowSeconds: this.options.windowSeconds },
      "a tenant's ONNX models crashed the ONNX host too often: its ONNX scoring calls are refused for a while (SERVING_TENANT_MAX_FAULTS)",
    );
    return started;
  }

  /**
   * @returns the error for an ONNX scoring call or load of `tenantId` while it is backed off
   *   (QUOTA_EXCEEDED; `reason: 'HOST_FAULT_BACKOFF'`, `retryAfterSeconds`: the time left, `limit`:
   *   maxFaults, `windowSeconds`), or undefined when it is not.
   */
  check(tenantId: string): AppError | undefined {
    const state = this.tenants.get(tenantId);
    const now = this.now();
    if (!state || state.until <= now) return undefined;
    const { maxFaults, windowSeconds } = this.options;
    const left = Math.ceil((state.until - now) / 1000);
    return new AppError(
      'QUOTA_EXCEEDED',
      `This tenant's ONNX models crashed the shared ONNX runtime ${maxFaults} times within ${windowSeconds} seconds (SERVING_TENANT_MAX_FAULTS=${maxFaults}, SERVING_TENANT_FAULT_WINDOW_SECONDS=${windowSeconds}): its ONNX scoring calls are refused for ${left} more seconds`,
      { reason: 'HOST_FAULT_BACKOFF', retryAfterSeconds: left, limit: maxFaults, windowSeconds },
    );
  }

  /** @throws the error of {@link check} while `tenantId` is backed off. */
  refuse(tenantId: string): void {
    const err = this.check(tenantId);
    if (err) throw err;
  }

  /** Tenants backed off now. */
  size(): number {
    const now = this.now();
    this.sweep(now);
    let n = 0;
    for (const s of this.tenants.values()) if (s.until > now) n++;
    return n;
  }

  /** Drops faults older than the window, and tenants with nothing left to remember. */
  private sweep(now: number): void {
    const since = now - this.options.windowSeconds * 1000;
    for (const [tenantId, s] of this.tenants) {
      while (s.faults.length && s.faults[0]! <= since) s.faults.shift();
      if (s.repeats && s.until + MAX_BACKOFF_SECONDS * 1000 <= now) s.repeats = 0;
      if (!s.faults.length && s.until <= now && !s.repeats) this.tenants.delete(tenantId);
    }
  }
}
