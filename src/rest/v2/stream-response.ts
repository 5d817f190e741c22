/**
 * The V2 inference answer written in pieces: a large output (super-resolution's [1,1,672,672] is
 * 451,584 floats, ~9 MB of JSON) encoded by one `JSON.stringify` blocks the event loop for
 * hundreds of milliseconds, during which no other request is answered. Here each tensor's data is
 * encoded in slices yielding to the event loop (src/lib/json-stream.ts). Small answers go out in
 * one piece with a content-length, as before. The bytes are the same as `JSON.stringify(body)`'s.
 */
import type { ServerResponse } from 'node:http';
import { SLICE, writeAndYield, writeJsonArray } from '../../lib/json-stream';
import type { PlainTensor } from '../../modules/serving/named-tensors';
import { sendJson } from './respond';

/** Tensor elements encoded per event-loop turn; an answer of at most this many goes out in one piece. */
export const CHUNK = SLICE;

/** The protocol's `$inference_response`. */
export interface InferResponseBody {
  model_name: string;
  model_version: string;
  id?: string;
  outputs: PlainTensor[];
}

/** Sends `body` with status 200: in one piece when small, else streamed (chunked transfer encoding). */
export async function sendInferResponse(res: ServerResponse, body: InferResponseBody): Promise<void> {
  const elements = body.outputs.reduce((n, t) => n + t.data.length, 0);
  if (elements <= CHUNK) return sendJson(res, 200, body);
  const { outputs, ...head } = body;
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  let open = await writeAndYield(res, `${JSON.stringify(head).slice(0, -1)},"outputs":[`);
  for (const [i, t] of outputs.entries()) {
    if (!open) return;
    open = await writeAndYield(res, `${i ? ',' : ''}{"name":${JSON.stringify(t.name)},"datatype":"${t.datatype}","shape":${JSON.stringify(t.shape)},"data":`);
    if (open) open = await writeJsonArray(res, t.data);
    if (open) open = await writeAndYield(res, '}');
  }
  if (open) res.end(']}');
}
