/**
 * The V2 routes answered before express: infer (fast-infer.ts), then the reads (fast-reads.ts).
 * Each takes only what it answers exactly as express' routes do (routes.ts); the rest goes on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fastInfer } from './fast-infer';
import { fastReads, type FastReadsOptions } from './fast-reads';

/**
 * @param opts what both fast paths need (FastReadsOptions includes infer's FastInferOptions).
 * @returns a request listener that answers the V2 requests the fast paths take and returns true,
 *   or returns false (having touched nothing) for the next listener.
 */
export function fastV2(opts: FastReadsOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const infer = fastInfer(opts);
  const reads = fastReads(opts);
  return (req, res) => infer(req, res) || reads(req, res);
}
