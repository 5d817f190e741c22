/**
 * The V2 inference answer written in pieces: a large output (super-resolution's [1,1,672,672] is
 * 451,584 floats, ~9 MB of JSON) encoded by one `JSON.stringify` blocks the event loop for
 * hundreds of milliseconds, during which no other request is answered. Here each tensor's data is
 * encoded {@link CHUNK} elements at a time, yielding to the event loop between pieces and waiting
 * for the socket to drain (backpressure). Small answers go out in one piece with a content-length,
 * as before. The bytes are the same as `JSON.stringify(body)`'s.
 */
import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { PlainTensor } from '../../modules/serving/named-tensors';
import { sendJson } from './respond';

/** Tensor elements encoded per event-loop turn. */
export const CHUNK = 16_384;

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
  let open = await write(res, `${JSON.stringify(head).slice(0, -1)},"outputs":[`);
  for (const [i, t] of outputs.entries()) {
    if (!open) return;
    open = await write(res, `${i ? ',' : ''}{"name":${JSON.stringify(t.name)},"datatype":"${t.datatype}","shape":${JSON.stringify(t.shape)},"data":[`);
    for (let at = 0; open && at < t.data.length; at += CHUNK) {
      const piece = JSON.stringify(t.data.slice(at, at + CHUNK)).slice(1, -1);
      open = await write(res, at ? `,${piece}` : piece);
    }
    if (open) open = await write(res, ']}');
  }
  if (open) res.end(']}');
}

/**
 * Writes `text`, then waits for the next event-loop turn (or for 'drain' when the socket's buffer
 * is full). @returns false when the connection has gone (nothing more to write).
 */
async function write(res: ServerResponse, text: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (res.write(text)) {
    await nextTurn();
    return !res.destroyed;
  }
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
