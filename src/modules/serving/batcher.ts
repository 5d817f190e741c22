/**
 * Micro-batching (as Triton's dynamic batcher and Ray Serve's @batch do): concurrent predict calls
 * for the same model version are gathered into one scorer call. A batch is flushed when it holds
 * `maxRows` rows or `maxWaitMs` after its first request, whichever comes first — and while a call
 * to an asynchronous scorer (a scoring thread) is in flight, requests wait for it to return and then
 * go as one batch (Triton's "batch while busy"): under load batches grow by themselves instead of
 * queueing many small calls on the thread, each paying the per-call cost. Each caller gets
 * exactly its own rows back, in order. Rows are validated and transformed before they join a
 * batch, so a bad row fails only its own request. A request small enough for the version's inline
 * scorer (a few tens of µs of plain JavaScript, see {@link InlineScoring}) that is the first of its
 * event-loop turn is scored at once on this thread instead, without waiting or joining a batch; the
 * others of the same turn (concurrent requests) are batched as usual, and a batch small enough for
 * the inline scorer is scored inline too, as one call: handing it to the scoring thread (a message
 * each way) costs the API thread more than scoring it (BENCHMARKS.md, "Inline batches").
 */

import { activeContext, inSpan, inSpanOf, tracingOn, type Context } from '../../lib/tracing/tracer';

/**
 * Scores row-major [rows, inputs] features to row-major [rows, outputs]: at once (inline), or as a
 * promise (a scoring thread, which receives the whole micro-batch as one message; `x` may be moved
 * to it, so the batcher never reads `x` after the call).
 */
export type ScoreFn = (x: Float32Array, rows: number) => Float32Array | Promise<Float32Array>;

/**
 * A scorer cheap enough to run on this thread at once for small requests (a dense network in plain
 * JavaScript, src/ml/families/network/js-scorer.ts): requests of at most `maxRows` rows use it,
 * larger ones are batched for `score` as usual.
 */
export interface InlineScoring {
  maxRows: number;
  /** Row-major [rows, inputs] → row-major [rows, outputs], synchronously. */
  score(x: Float32Array, rows: number): Float32Array;
}

interface Pending {
  x: Float32Array;
  rows: number;
  /** Traced: the request's `micro-batch` span context (the batch's span is parented by the first, links the rest). */
  ctx: Context | undefined;
  resolve: (out: Float32Array) => void;
  reject: (err: unknown) => void;
}

export interface BatcherOptions {
  /** Rows that trigger an immediate flush. (Default: 64) */
  maxRows: number;
  /** Longest a request waits for company, ms. 0 = flush after the current event-loop turn. */
  maxWaitMs: number;
  /** Called with the row count of each scorer call (for metrics). */
  onBatch?: (rows: number) => void;
  /** Called with the row count of each request scored inline ({@link InlineScoring}; for metrics). */
  onInline?: (rows: number) => void;
}

export class MicroBatcher {
  private queue: Pending[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  /** Scorer calls not yet returned (asynchronous scorers only). */
  private inFlight = 0;

  /** Whether a request was scored inline in this event-loop turn (cleared by a setImmediate). */
  private inlineThisTurn = false;
  private readonly endInlineTurn = () => {
    this.inlineThisTurn = false;
  };

  constructor(
    private readonly score: ScoreFn,
    /** Features per row. */
    private readonly inputs: number,
    private readonly options: BatcherOptions,
    /** Small requests' scorer on this thread; none: every request goes to `score`. */
    private readonly inline?: InlineScoring,
  ) {}

  /**
   * @param x row-major [rows, inputs] features of one request.
   * @returns its row-major [rows, outputs] scores.
   */
  submit(x: Float32Array, rows: number): Promise<Float32Array> {
    // Traced (src/lib/tracing/): the request's stay in the batcher is a `micro-batch` span, its
    // batch's scorer call a `micro-batch.score` span under the first caller's (the others linked).
    if (tracingOn())
      return inSpan(
        'micro-batch',
        () => ({ 'maas.rows': rows }),
        () => this.enqueue(x, rows),
      );
    return this.enqueue(x, rows);
  }

  private enqueue(x: Float32Array, rows: number): Promise<Float32Array> {
    if (this.inline && rows <= this.inline.maxRows && !this.inlineThisTurn) {
      // Only a request that arrives alone in its event-loop turn: under concurrency the rest of the
      // turn's requests join one batch for the thread (BENCHMARKS.md, "The build at the end of
      // 2026-12-07": at concurrency 64 the thread's batches beat one inline call per request).
      this.inlineThisTurn = true;
      setImmediate(this.endInlineTurn);
      this.options.onInline?.(rows);
      const inline = this.inline;
      try {
        return Promise.resolve(this.scoreBatch([], rows, x, (x1, r) => inline.score(x1, r)) as Float32Array);
      } catch (err) {
        return Promise.reject(err);
      }
    }
    // A request at least as large as a batch gains nothing from waiting.
    if (rows >= this.options.maxRows) {
      this.options.onBatch?.(rows);
      return Promise.resolve(this.scoreBatch([], rows, x));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ x, rows, resolve, reject, ctx: activeContext() });
      this.queuedRows += rows;
      if (this.queuedRows >= this.options.maxRows) this.flush();
      // A call in flight: flushed when it returns (scored).
      else if (this.inFlight > 0) return;
      // 0 ms: flush once the event loop has taken in the requests that arrived with this one.
      else this.timer ??= this.options.maxWaitMs > 0 ? setTimeout(() => this.flush(), this.options.maxWaitMs) : setImmediate(() => this.flush());
    });
  }

  /** A call returned: its callers answered, then the requests that waited for it sent as one batch. */
  private scored(answer: () => void): void {
    this.inFlight--;
    answer();
    if (this.queue.length > 0 && this.inFlight === 0) this.flush();
  }

  /** Calls the scorer; traced, in a `micro-batch.score` span (a batch of one request: under the active span). */
  private scoreBatch(batch: Pending[], total: number, x: Float32Array, score: ScoreFn = this.score): Float32Array | Promise<Float32Array> {
    if (!tracingOn()) return score(x, total);
    const parent = batch.length > 0 ? batch[0]!.ctx : activeContext();
    return inSpanOf(
      'micro-batch.score',
      parent,
      batch.slice(1).map((p) => p.ctx),
      { 'maas.batch.rows': total, 'maas.batch.requests': Math.max(1, batch.length), ...(score === this.score ? {} : { 'maas.batch.inline': true }) },
      () => score(x, total),
    );
  }

  private flush(): void {
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    this.timer = undefined;
    const batch = this.queue;
    const total = this.queuedRows;
    this.queue = [];
    this.queuedRows = 0;
    if (batch.length === 0) return;
    try {
      let x: Float32Array;
      if (batch.length === 1) x = batch[0].x;
      else {
        x = new Float32Array(total * this.inputs);
        let offset = 0;
        for (const p of batch) {
          x.set(p.x, offset);
          offset += p.x.length;
        }
      }
      const inline = this.inline && total <= this.inline.maxRows ? this.inline : undefined;
      if (inline) this.options.onInline?.(total);
      else this.options.onBatch?.(total);
      const out = inline ? this.scoreBatch(batch, total, x, (x1, r) => inline.score(x1, r)) : this.scoreBatch(batch, total, x);
      if (out instanceof Promise) {
        this.inFlight++;
        out.then(
          (o) => this.scored(() => deliver(batch, total, o)),
          (err: unknown) => this.scored(() => fail(batch, err)),
        );
      } else deliver(batch, total, out);
    } catch (err) {
      fail(batch, err);
    }
  }
}

/** Hands each caller exactly its own rows of `out` ([total, outputs]), in order. */
function deliver(batch: Pending[], total: number, out: Float32Array): void {
  if (batch.length === 1) return batch[0].resolve(out);
  const width = total > 0 ? out.length / total : 0;
  let row = 0;
  for (const p of batch) {
    p.resolve(out.slice(row * width, (row + p.rows) * width));
    row += p.rows;
  }
}

function fail(batch: Pending[], err: unknown): void {
  for (const p of batch) p.reject(err);
}
