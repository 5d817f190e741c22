/**
 * How many values an `infer` call answers with, bounded per tenant (INFER_MAX_OUTPUT_VALUES, or the
 * tenant's `inferMaxOutputValues`): a model can answer far more than JSON can carry or than the
 * API process can serialise without holding every other tenant's requests (issues 10 and 12:
 * super-resolution-10's [batch, 1, 672, 672] is 451,584 values, ~9 MB of JSON, per image).
 *
 * Checked twice: before scoring, from the model's declared output shapes and the request's batch
 * size ({@link estimateOutputValues}: a lower bound, since other dynamic dimensions count as 1), so
 * a call certain to be too large never runs; after scoring, on the real tensors
 * ({@link checkOutputSize}), for what dynamic dimensions hid.
 *
 * BAD_USER_INPUT, not QUOTA_EXCEEDED: like MAX_PREDICT_ROWS it is a bound on one call that no wait
 * lifts (QUOTA_EXCEEDED is a 429 on V2, which clients retry after `Retry-After`); fewer rows
 * (images) or fewer `outputs` do. `details.reason` is 'OUTPUT_TOO_LARGE' so a client can tell it
 * from the other BAD_USER_INPUT refusals.
 */
import { badInput, quote } from '../../lib/errors';
import type { NamedTensor, TensorSpec } from '../../ml/tensor-io';

/** `details.reason` of the refusal. */
export const OUTPUT_TOO_LARGE = 'OUTPUT_TOO_LARGE';

/**
 * Values an `infer` answer may hold over the websocket: graphql-ws writes a result with one
 * JSON.stringify on the event loop (HTTP streams big arrays in slices and encodes them on answer
 * threads), so 16 super-resolution answers over one socket held every tenant 2 s (issue 10, review
 * F13). 65,536 values are ~1 MB of JSON, ~10 ms to write; larger answers go over HTTP or V2.
 */
export const WEBSOCKET_MAX_OUTPUT_VALUES = 65_536;

/** The bound a call is checked against, and where it comes from (named in the message). */
export interface OutputLimit {
  /** Values per call, summed over the outputs answered. */
  max: number;
  /** True when the tenant's own `inferMaxOutputValues` (setTenantLimits) sets it, false for INFER_MAX_OUTPUT_VALUES. */
  perTenant: boolean;
  /** Set when a transport's bound is lower (the websocket): its name in the message. */
  transport?: string;
}

/** `limit`, or the transport's bound when that is lower. */
export function withTransportLimit(limit: OutputLimit, transport: { max: number; name: string } | undefined): OutputLimit {
  return transport && transport.max < limit.max ? { max: transport.max, perTenant: limit.perTenant, transport: transport.name } : limit;
}

/** What a call will answer, at least: its total and its largest output. */
export interface OutputEstimate {
  /** Values summed over the outputs answered (a lower bound when `exact` is false). */
  values: number;
  /** The largest output: its name and shape (the batch filled in; other dynamic dimensions -1). */
  largest?: { name: string; shape: number[]; values: number };
  /** False when a dimension other than the batch is dynamic (counted as 1). */
  exact: boolean;
}

/**
 * The values the outputs `wanted` (absent: every declared output) will hold for a call of `rows`
 * rows: each output's static dimensions multiplied, its first dimension taken as `rows` when it is
 * dynamic (-1: the batch), any other dynamic dimension as 1.
 * @param outputs the model's declared outputs ([batch, …] shapes, -1 for dynamic dimensions).
 * @param rows the request's batch size (≥ 1).
 * @returns the total (a lower bound unless `exact`), and the largest output.
 */
export function estimateOutputValues(outputs: TensorSpec[], wanted: string[] | undefined, rows: number): OutputEstimate {
  const answered = wanted ? outputs.filter((o) => wanted.includes(o.name)) : outputs;
  let values = 0;
  let exact = true;
  let largest: OutputEstimate['largest'];
  for (const o of answered) {
    const shape = o.shape.map((d, k) => (d < 0 && k === 0 ? rows : d));
    if (shape.some((d) => d < 0)) exact = false;
    const n = shape.reduce((p, d) => p * (d < 0 ? 1 : d), 1);
    values += n;
    if (!largest || n > largest.values) largest = { name: o.name, shape, values: n };
  }
  return { values, largest, exact };
}

/**
 * Refuses, before scoring, a call whose outputs will certainly hold more than the limit.
 * @throws AppError BAD_USER_INPUT (reason OUTPUT_TOO_LARGE) as {@link outputTooLarge}.
 */
export function checkOutputEstimate(estimate: OutputEstimate, limit: OutputLimit): void {
  if (estimate.values > limit.max && estimate.largest) throw outputTooLarge(estimate.values, estimate.largest, limit, true);
}

/**
 * Refuses, after scoring and before anything is serialised, real outputs holding more than the limit.
 * @throws AppError BAD_USER_INPUT (reason OUTPUT_TOO_LARGE) as {@link outputTooLarge}.
 */
export function checkOutputSize(outputs: NamedTensor[], limit: OutputLimit): void {
  let total = 0;
  let largest: NamedTensor | undefined;
  for (const t of outputs) {
    total += t.data.length;
    if (!largest || t.data.length > largest.data.length) largest = t;
  }
  if (total > limit.max && largest) throw outputTooLarge(total, largest, limit, false);
}

/**
 * The refusal: "The model's outputs would hold 903168 values (output 'output' has shape [2, 1, 672, 672]);
 * INFER_MAX_OUTPUT_VALUES allows at most 524288 per call: send fewer rows (images) or name fewer `outputs`".
 * Details: `{ field: 'outputs', reason: 'OUTPUT_TOO_LARGE', output, values, limit, estimated }`
 * (`values` is the estimate when `estimated`, else the real count).
 */
export function outputTooLarge(values: number, largest: { name: string; shape: readonly number[] }, limit: OutputLimit, estimated: boolean) {
  const source = limit.transport ?? (limit.perTenant ? "this tenant's limit (inferMaxOutputValues)" : 'INFER_MAX_OUTPUT_VALUES');
  const advice = limit.transport ? 'send it over HTTP (POST /graphql or the V2 route), or fewer rows (images) or `outputs`' : 'send fewer rows (images) or name fewer `outputs`';
  return badInput(
    `The model's outputs ${estimated ? 'would hold' : 'hold'} ${values} values (output ${quote(largest.name)} has shape [${largest.shape.join(', ')}]); ` +
      `${source} allows at most ${limit.max} per call: ${advice}`,
    { field: 'outputs', reason: OUTPUT_TOO_LARGE, output: largest.name, values, limit: limit.max, estimated },
  );
}
