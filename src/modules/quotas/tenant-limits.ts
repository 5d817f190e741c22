/**
 * Per-tenant limits: the global defaults (QUOTA_*, TRAINING_MAX_*, INFER_MAX_OUTPUT_VALUES, TENANT_MAX_IN_FLIGHT of the config) overridden, field
 * by field, by the tenant's optional TenantLimits row (set by the operator with setTenantLimits).
 * Pure: no Prisma, no GraphQL.
 */
import type { Config } from '../../config';
import { badInput } from '../../lib/errors';
import { MAX_RUN_SECONDS_CAP, type CostLimits } from '../../ml/cost-limits';

/** The effective limits of one tenant. */
export interface Limits {
  /** QUEUED + RUNNING training runs at once. */
  maxConcurrentRuns: number;
  /** Training runs RUNNING at once across the cluster (the rest wait QUEUED). */
  maxRunningRuns: number;
  /** QUEUED + RUNNING batch predictions at once. */
  maxConcurrentBatches: number;
  /** Sum of stored dataset sizes, bytes. */
  maxDatasetBytes: number;
  /** Rows (or model evaluations, for explain) predicted per minute. */
  predictionsPerMinute: number;
  /** Weights of one training run's network. */
  trainingMaxParameters: number;
  /** Activations of one training batch. */
  trainingMaxActivations: number;
  /** Estimated memory of one training run, bytes. */
  trainingMaxMemoryBytes: number;
  /** Weights · rows · epochs of one training run. */
  trainingMaxWork: number;
  /** Wall-clock seconds of one training run (the supervisor ends it past this). */
  trainingMaxRunSeconds: number;
  /** Values one `infer` call may answer, summed over its outputs (serving/output-size.ts). */
  inferMaxOutputValues: number;
  /** HTTP requests in progress at once on one API process (requests-in-flight.ts, src/graphql/in-flight-guard.ts). */
  maxRequestsInFlight: number;
}

/** A limit's name. */
export type LimitName = keyof Limits;

/** One override per limit; null or absent = the global default. */
export type LimitOverrides = { [K in LimitName]?: number | null };

/**
 * The most output values any tenant may be allowed per `infer` call (and INFER_MAX_OUTPUT_VALUES'
 * ceiling): 2^26 = 67,108,864 float32 values are ~1.3 GB of JSON at ~20 characters each, past
 * V8's longest string (2^29 characters) for a GraphQL answer, which is serialised whole.
 */
export const MAX_INFER_OUTPUT_VALUES = 2 ** 26;

/** The most requests in flight any tenant may be allowed per API process (and TENANT_MAX_IN_FLIGHT's ceiling). */
export const MAX_REQUESTS_IN_FLIGHT = 1_000_000;

/**
 * The largest value an admin may set per limit. Counts: 10,000 at once is far beyond what one
 * worker pool runs; the rate: the shared counter is a PostgreSQL integer (as QUOTA_PREDICTIONS_PER_MINUTE);
 * sizes: Number.MAX_SAFE_INTEGER, the largest integer a JavaScript number holds exactly; output
 * values: {@link MAX_INFER_OUTPUT_VALUES}; requests in flight: {@link MAX_REQUESTS_IN_FLIGHT}.
 */
export const LIMIT_CAPS: Readonly<Record<LimitName, number>> = Object.freeze({
  maxConcurrentRuns: 10_000,
  maxRunningRuns: 10_000,
  maxConcurrentBatches: 10_000,
  maxDatasetBytes: Number.MAX_SAFE_INTEGER,
  predictionsPerMinute: 2_000_000_000,
  trainingMaxParameters: Number.MAX_SAFE_INTEGER,
  trainingMaxActivations: Number.MAX_SAFE_INTEGER,
  trainingMaxMemoryBytes: Number.MAX_SAFE_INTEGER,
  trainingMaxWork: Number.MAX_SAFE_INTEGER,
  trainingMaxRunSeconds: MAX_RUN_SECONDS_CAP,
  inferMaxOutputValues: MAX_INFER_OUTPUT_VALUES,
  maxRequestsInFlight: MAX_REQUESTS_IN_FLIGHT,
});

/** Every limit's name, in a fixed order. */
export const LIMIT_NAMES = Object.keys(LIMIT_CAPS) as LimitName[];

/** The global defaults, from the config. */
export function defaultLimits(
  config: Pick<
    Config,
    | 'QUOTA_CONCURRENT_RUNS'
    | 'QUOTA_RUNNING_RUNS'
    | 'QUOTA_CONCURRENT_BATCHES'
    | 'QUOTA_DATASET_BYTES'
    | 'QUOTA_PREDICTIONS_PER_MINUTE'
    | 'TRAINING_MAX_PARAMETERS'
    | 'TRAINING_MAX_ACTIVATIONS'
    | 'TRAINING_MAX_MEMORY_BYTES'
    | 'TRAINING_MAX_WORK'
    | 'TRAINING_MAX_RUN_SECONDS'
    | 'INFER_MAX_OUTPUT_VALUES'
    | 'TENANT_MAX_IN_FLIGHT'
  >,
): Limits {
  return {
    maxConcurrentRuns: config.QUOTA_CONCURRENT_RUNS,
    maxRunningRuns: config.QUOTA_RUNNING_RUNS,
    maxConcurrentBatches: config.QUOTA_CONCURRENT_BATCHES,
    maxDatasetBytes: config.QUOTA_DATASET_BYTES,
    predictionsPerMinute: config.QUOTA_PREDICTIONS_PER_MINUTE,
    trainingMaxParameters: config.TRAINING_MAX_PARAMETERS,
    trainingMaxActivations: config.TRAINING_MAX_ACTIVATIONS,
    trainingMaxMemoryBytes: config.TRAINING_MAX_MEMORY_BYTES,
    trainingMaxWork: config.TRAINING_MAX_WORK,
    trainingMaxRunSeconds: config.TRAINING_MAX_RUN_SECONDS,
    inferMaxOutputValues: config.INFER_MAX_OUTPUT_VALUES,
    maxRequestsInFlight: config.TENANT_MAX_IN_FLIGHT,
  };
}

/**
 * Checks an admin's overrides: each set one a positive integer within {@link LIMIT_CAPS}.
 * @throws AppError BAD_USER_INPUT naming the field and the value.
 */
export function validateOverrides(input: LimitOverrides): void {
  for (const name of LIMIT_NAMES) {
    const value = input[name];
    if (value === null || value === undefined) continue;
    const cap = LIMIT_CAPS[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > cap) {
      throw badInput(`limits.${name} must be a whole number from 1 to ${cap}, not ${String(value).slice(0, 40)}`);
    }
  }
}

/** A row's columns as numbers (BIGINT columns come as bigint), null where unset. */
export function overridesOf(row: Record<string, unknown> | null): LimitOverrides {
  const out: LimitOverrides = {};
  if (!row) return out;
  for (const name of LIMIT_NAMES) {
    const v = row[name];
    out[name] = v === null || v === undefined ? null : Number(v as number | bigint);
  }
  return out;
}

/** The effective limits and the names of those that are the global default. */
export function effectiveLimits(defaults: Limits, overrides: LimitOverrides): { limits: Limits; defaulted: LimitName[] } {
  const limits = { ...defaults };
  const defaulted: LimitName[] = [];
  for (const name of LIMIT_NAMES) {
    const v = overrides[name];
    if (v === null || v === undefined) defaulted.push(name);
    else limits[name] = v;
  }
  return { limits, defaulted };
}

/** The training cost limits (as the model families check them) of effective limits. */
export function costLimitsOf(limits: Limits): CostLimits {
  return {
    maxParameters: limits.trainingMaxParameters,
    maxActivations: limits.trainingMaxActivations,
    maxMemoryBytes: limits.trainingMaxMemoryBytes,
    maxWork: limits.trainingMaxWork,
    maxRunSeconds: limits.trainingMaxRunSeconds,
  };
}
