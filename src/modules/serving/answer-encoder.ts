/**
 * Large numeric model outputs made JSON-ready off the event loop (issue 10: one tenant's
 * super-resolution answers, ~9 MB of JSON each, held every other tenant's requests while the API
 * process encoded them). An output of more than {@link ENCODED_FROM} numbers in a typed array is
 * checked for non-finite values and encoded to JSON bytes on an answer thread
 * (src/lib/threads/json-tasks.ts); the writers (src/lib/json-stream.ts) then send the bytes
 * as they are. Encodings wait in per-tenant queues shared by time (the scoring lanes' FairQueue),
 * so one tenant's burst of large answers does not queue ahead of another tenant's one.
 */
import { EncodedJsonArray, type NumericArray } from '../../lib/json-array-bytes';
import { SLICE } from '../../lib/json-stream';
import type { JsonThreads } from '../../lib/threads/json-tasks';
import { FairQueue } from '../../ml/serving/fair-queue';
import { nonFiniteOutput } from './named-tensors';

/** Outputs of more numbers than this are encoded on an answer thread (smaller ones stay plain arrays). */
export const ENCODED_FROM = SLICE;

/** The typed arrays encoded here, by their tag: an output arrives from a scoring thread, which may be another realm (instanceof would miss it). */
const NUMERIC_TAGS = new Set(['[object Float32Array]', '[object Float64Array]', '[object Int32Array]']);
const isNumericArray = (data: unknown): data is NumericArray => ArrayBuffer.isView(data) && NUMERIC_TAGS.has(Object.prototype.toString.call(data));

/** Whether `data` is encoded on an answer thread by {@link AnswerEncoder.encode}. */
export const encodedOffThread = (data: unknown): data is NumericArray => isNumericArray(data) && data.length > ENCODED_FROM;

export class AnswerEncoder {
  private readonly queue: FairQueue;

  /**
   * @param threads the answer threads (ANSWER_THREADS of them).
   * @param maxPerTenant encodings one tenant may have waiting or running (past it QUOTA_EXCEEDED).
   */
  constructor(
    private readonly threads: JsonThreads,
    threadCount: number,
    maxPerTenant: number,
  ) {
    this.queue = new FairQueue('the answer threads', Math.max(1, threadCount), maxPerTenant);
  }

  /**
   * @param values more than {@link ENCODED_FROM} numbers (see {@link encodedOffThread}); moved to
   *   the thread (the caller must not use them afterwards; a view into a shared buffer is copied first).
   * @returns the JSON-ready array (its values are the same numbers).
   * @throws AppError NON_FINITE_OUTPUT naming the output and the index; QUOTA_EXCEEDED when the
   *   tenant has too many encodings waiting, or the threads' queue is full.
   */
  encode(tenantId: string, name: string, values: NumericArray): Promise<EncodedJsonArray> {
    const own = values.byteOffset === 0 && values.byteLength === values.buffer.byteLength && values.buffer instanceof ArrayBuffer ? values : values.slice();
    return this.queue.submit({ tenantId, versionId: '', artifact: '' }, async () => {
      const out = await this.threads.run('encodeJsonArray', { values: own }, [own.buffer as ArrayBuffer]);
      if ('nonFinite' in out) throw nonFiniteOutput(name, out.nonFinite.value, out.nonFinite.index);
      return new EncodedJsonArray(out.values, out.json);
    });
  }
}
