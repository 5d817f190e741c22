/**
 * Environment variables bounding the work of one scoring call: explanation sizes and costs, the
 * slices a large call is sent to a scoring thread in, and the calls small enough to score inline (issue 10, review F3). Part of the
 * configuration schema (src/config.ts spreads it in); only parses the environment.
 */
import { z } from 'zod';

/** scoringWorkEnv: zod parsers keyed by environment variable, each documented with its default. */
export const scoringWorkEnv = {
  /** Rows per `explain` call (each takes up to 1,024 model evaluations). (Default: 100) */
  MAX_EXPLAIN_ROWS: z.coerce.number().int().min(1).default(100),
  /** Work per `explain` call: rows × model evaluations × model inputs. (Default: 50,000,000, about a second) */
  MAX_EXPLAIN_CELLS: z.coerce.number().int().min(1).default(50_000_000),
  /**
   * Multiply-adds one row's explanation may take (model evaluations × the model's multiply-adds per
   * row, for models whose cost is known: dense networks). A row is the smallest slice of an
   * explanation on a scoring thread, so this bounds how long it holds the thread (~1 GMAC/s on
   * WASM: the default ≈ 0.5 s). (Default: 500,000,000)
   */
  MAX_EXPLAIN_ROW_WORK: z.coerce.number().min(1).default(5e8),
  /** Multiply-adds of one whole `explain` call, on the same models (the default ≈ 10 s, sliced). (Default: 10,000,000,000) */
  MAX_EXPLAIN_WORK: z.coerce.number().min(1).default(1e10),
  /**
   * SERVING_ISOLATION=thread: a scoring call of more multiply-adds than this (rows × the model's
   * multiply-adds per row, where known) goes to the scoring thread in slices of about this much, each
   * waiting its turn in the tenants' round-robin, so one tenant's large predict or explanation never
   * holds the thread for more than a slice (issue 10, review F3). (Default: 100,000,000, ≈ 0.1 s)
   */
  SCORING_SLICE_WORK: z.coerce.number().min(1).default(1e8),
  /**
   * SERVING_ISOLATION=thread: a predict call of at most this many multiply-adds (rows × the
   * network's multiply-adds per row) scores on the API thread in plain JavaScript, without TF.js or
   * WASM (src/ml/families/network/js-scorer.ts), instead of a round trip to its scoring thread; dense
   * networks only, other families and larger calls go to the thread. Measured (BENCHMARKS.md, "Serving
   * fast path"): 3.5–7 ns of CPU per multiply-add on 2 busy cores, so the default holds the API thread
   * ~30–60 µs at most, against ~1–3 ms of CPU for a round trip to the thread. 0 = always the thread.
   * (Default: 8192)
   */
  INLINE_SCORING_MAX_MACS: z.coerce.number().int().min(0).max(10_000_000).default(8192),
};
