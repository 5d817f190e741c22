/**
 * Watches a held training run while its thread trains, and ends or stops the thread when it must:
 * - the lease is lost (reaped or taken over) or the run is cancelled (from any process): at once;
 * - the worker drains (SIGTERM): at the end of the epoch, or after DRAIN_GRACE_MS (a forest is
 *   one long fit), so the run can be handed back while the process is still allowed to;
 * - the run passes its wall-clock limit (`maxRunSeconds`, from the run's claim): at once, the
 *   thread is terminated mid-epoch or mid-fit, so the slot is free for the next run. On the main
 *   thread (TRAINING_THREAD=main) nothing can end the fit from outside: it stops at the end of its
 *   current epoch (boosting round, forest tree), which may be long past the limit;
 * - another tenant waits for a slot with nothing running (`preemptAfterSeconds`, see
 *   TrainingRunRepo.shouldYield) and this run is its tenant's most recently started of two or more:
 *   at once, so the slot goes to that tenant (the caller hands the run back: `yielded`).
 */
import type { HeldRun, TrainingRunLifecycle } from '../modules/training/run-lifecycle';
import { RunStatus } from '../modules/status';
import { holdLease } from './lease';
import type { ThreadTraining } from './train-in-thread';
import type { WorkerState } from './worker-state';

/** Draining: how long a training thread may take to reach the end of its epoch before it is ended. */
const DRAIN_GRACE_MS = 2_000;

/** How often a run checks whether it should give its slot back: a quarter of the wait, 0.25–5 s. */
export function yieldCheckMs(preemptAfterSeconds: number): number {
  return Math.min(5_000, Math.max(250, (preemptAfterSeconds * 1000) / 4));
}

/** The supervision of one held run, for the duration of one job. */
export interface RunSupervision {
  /** Hands the thread over; ended at once if the run was already lost or cancelled. */
  attach(training: ThreadTraining): void;
  /** An epoch write found the run no longer RUNNING: ends the thread (cancelled, or the run is gone). */
  stopFor(status: RunStatus | undefined): void;
  readonly cancelled: boolean;
  readonly leaseLost: boolean;
  /** The run passed its time limit: the training was ended (the caller fails the run, publishes nothing). */
  readonly timedOut: boolean;
  /** The run gives its slot to a waiting tenant: the training was ended (the caller hands the run back). */
  readonly yielded: boolean;
  /** Stops renewing the lease and listening; call once the run is settled. */
  close(): Promise<void>;
}

/**
 * Starts renewing the run's lease, listening for its cancellation and for the worker's drain, and
 * the run's clock.
 * @param maxRunSeconds the run's wall-clock limit, seconds (the tenant's trainingMaxRunSeconds).
 */
export function superviseRun(
  deps: { lifecycle: TrainingRunLifecycle; state: WorkerState; leaseMs: number; preemptAfterSeconds?: number },
  run: HeldRun,
  maxRunSeconds: number,
): RunSupervision {
  const { lifecycle, state, leaseMs, preemptAfterSeconds = 0 } = deps;
  let training: ThreadTraining | undefined;
  let cancelled = false;
  let timedOut = false;
  let yielded = false;
  let checking = false;
  const yieldTimer =
    preemptAfterSeconds > 0
      ? setInterval(() => {
          if (checking || yielded) return;
          checking = true;
          lifecycle
            .shouldYield(run, preemptAfterSeconds)
            .then((yes) => {
              if (!yes || cancelled || timedOut) return;
              yielded = true;
              training?.abort();
            })
            .catch(() => undefined) // a failed check is tried again at the next tick
            .finally(() => (checking = false));
        }, yieldCheckMs(preemptAfterSeconds))
      : undefined;
  yieldTimer?.unref();
  let graceTimer: NodeJS.Timeout | undefined;
  const limitTimer = setTimeout(() => {
    timedOut = true;
    training?.abort();
  }, maxRunSeconds * 1000);
  const lease = holdLease(
    () => lifecycle.renewLease(run, leaseMs),
    leaseMs,
    () => training?.abort(),
  );
  const onDrain = () => {
    training?.stop();
    graceTimer ??= setTimeout(() => training?.abort(), DRAIN_GRACE_MS);
  };
  const stopOnDrain = state.onDrain(onDrain);
  const events = lifecycle.subscribe(run.runId);
  void (async () => {
    for await (const e of events) {
      if (e.kind === 'FINAL' && e.status === RunStatus.CANCELLED) {
        cancelled = true;
        training?.abort();
      }
    }
  })();
  return {
    attach(thread) {
      training = thread;
      if (lease.lost || cancelled || timedOut || yielded) thread.abort();
      else if (state.draining) onDrain();
    },
    stopFor(status) {
      cancelled ||= status === RunStatus.CANCELLED;
      training?.abort();
    },
    get cancelled() {
      return cancelled;
    },
    get leaseLost() {
      return lease.lost;
    },
    get timedOut() {
      return timedOut;
    },
    get yielded() {
      return yielded;
    },
    async close() {
      lease.release();
      clearTimeout(graceTimer);
      clearTimeout(limitTimer);
      clearInterval(yieldTimer);
      stopOnDrain();
      await events.return();
    },
  };
}
