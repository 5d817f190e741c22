/**
 * A training run's priority: its order among its own tenant's queued runs (higher first), used by
 * the fair claim (TrainingRunRepo.claimFairly); never reorders other tenants' runs.
 */
import { badInput } from '../../lib/errors';

/** The largest |priority| of a training run. */
export const RUN_PRIORITY_MAX = 100;

/**
 * @returns the priority to store (Default: 0).
 * @throws AppError BAD_USER_INPUT naming the value when it is not a whole number within ±{@link RUN_PRIORITY_MAX}.
 */
export function runPriority(value: number | null | undefined): number {
  const priority = value ?? 0;
  if (!Number.isInteger(priority) || Math.abs(priority) > RUN_PRIORITY_MAX) {
    throw badInput(`priority must be a whole number from ${-RUN_PRIORITY_MAX} to ${RUN_PRIORITY_MAX}, not ${String(value).slice(0, 40)}`);
  }
  return priority;
}
