/**
 * Large JSON request bodies parsed on the answer threads (JSON_BODY_THREAD_BYTES, ANSWER_THREADS;
 * issue 10): reading and parsing a 1 MB body (a super-resolution image as V2 or GraphQL JSON) cost
 * the event loop ~7 ms of CPU — the raw-bytes depth scan, UTF-8 decoding and `JSON.parse` — and a
 * tenant sending many at once stalled every other tenant's requests. A body of at least
 * JSON_BODY_THREAD_BYTES that the JSON reader (src/lib/json-body.ts) takes is moved to a thread,
 * which runs the same depth check and `JSON.parse` (src/lib/threads/json-tasks.ts `parseJsonBody`);
 * the value comes back by structured clone, which keeps every JSON value as it is, so the answer is
 * the inline one. A body the thread finds too deep or not JSON comes back for body-parser to refuse
 * in its own words. Parses wait in one queue per tenant (the tenant the in-flight guard admitted
 * the request for; requests without a credential share one), taken in turn (FairQueue), so one
 * tenant's burst of large bodies does not queue ahead of another tenant's one. What stays on the
 * event loop per large body: reading its chunks, and copying the parsed value out of the clone.
 */
import type { IncomingMessage } from 'node:http';
import type { OffThreadJson } from '../lib/json-body';
import { movable } from '../lib/threads/task-result';
import { unpackNumberArrays, type JsonThreads } from '../lib/threads/json-tasks';
import { FairQueue } from '../ml/serving/fair-queue';
import { MAX_REQUESTS_IN_FLIGHT } from '../modules/quotas/tenant-limits';
import { admittedTenant } from './in-flight-guard';

/**
 * @param threads the answer threads.
 * @param from JSON_BODY_THREAD_BYTES (0: none; every body is parsed inline).
 * @param threadCount ANSWER_THREADS: parses running at once.
 * @returns the reader's off-thread parser, or undefined when `from` is 0.
 */
export function jsonBodyThreads(threads: JsonThreads, from: number, threadCount: number): OffThreadJson | undefined {
  if (from <= 0) return undefined;
  // No cap of its own per tenant: a tenant's requests in progress are capped before their bodies are read (in-flight-guard.ts).
  const queue = new FairQueue('the answer threads (request bodies)', Math.max(1, threadCount), MAX_REQUESTS_IN_FLIGHT);
  return {
    from,
    async parse(body: Buffer, req: IncomingMessage) {
      const tenantId = admittedTenant(req) ?? '';
      const { bytes, transfer } = movable(body);
      try {
        const out = await queue.submit({ tenantId, versionId: '', artifact: '' }, () => threads.run('parseJsonBody', { bytes }, transfer));
        if ('value' in out) return { value: unpackNumberArrays(out.value, out.paths) };
        return { bytes: Buffer.from(out.bytes.buffer, out.bytes.byteOffset, out.bytes.byteLength), refused: true };
      } catch (err) {
        // Moved to a thread that ended: the bytes are gone and the error stands. Not taken (the threads' queue full): parsed inline.
        if (bytes.byteLength === 0) throw err;
        return { bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), refused: false };
      }
    },
  };
}
