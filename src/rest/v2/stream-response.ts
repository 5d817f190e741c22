/**
 * The V2 inference answer written in pieces: a large output (super-resolution's [1,1,672,672] is
 * 451,584 floats, ~9 MB of JSON) encoded by one `JSON.stringify` blocks the event loop for
 * hundreds of milliseconds, during which no other request is answered. Here each tensor's data is
 * written as the bytes an answer thread encoded (src/modules/serving/answer-encoder.ts), or encoded
 * in slices yielding to the event loop (src/lib/json-stream.ts). Small answers go out in
 * one piece with a content-length, as before. The bytes are the same as `JSON.stringify(body)`'s.
 */
import type { ServerResponse } from 'node:http';
import { SLICE, writeAndYield, writeJsonArray } from '../../lib/json-stream';
import type { AnswerTensor } from '../../modules/serving/named-tensors';
import { sendJson } from './respond';
import { encodeBinaryOutput } from '../../modules/serving/binary-tensors';

/** Tensor elements encoded per event-loop turn; an answer of at most this many goes out in one piece. */
export const CHUNK = SLICE;

/** The protocol's `$inference_response`. */
export interface InferResponseBody {
  model_name: string;
  model_version: string;
  id?: string;
  outputs: AnswerTensor[];
}

/**
 * Sends `body` with status 200: in one piece when small, else streamed (chunked transfer encoding);
 * in the binary data extension's form when any output is asked in binary.
 * @param binary per output (same order): send it in binary. (Default: none)
 */
export async function sendInferResponse(res: ServerResponse, body: InferResponseBody, binary?: readonly boolean[]): Promise<void> {
  if (binary?.some(Boolean)) return sendBinaryInferResponse(res, body, binary);
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

/**
 * The binary data extension's answer: a JSON header (binary outputs without `data`, with
 * `parameters.binary_data_size`) of `Inference-Header-Content-Length` bytes, then each binary
 * output's bytes in the order of `outputs`, as Triton answers (Content-Type application/octet-stream).
 */
function sendBinaryInferResponse(res: ServerResponse, body: InferResponseBody, binary: readonly boolean[]): void {
  const parts: Uint8Array[] = [];
  const outputs = body.outputs.map((t, i) => {
    if (!binary[i]) return t;
    const bytes = encodeBinaryOutput(t);
    parts.push(bytes);
    return { name: t.name, datatype: t.datatype, shape: t.shape, parameters: { binary_data_size: bytes.byteLength } };
  });
  const header = Buffer.from(JSON.stringify({ ...body, outputs }), 'utf8');
  const length = parts.reduce((n, p) => n + p.byteLength, header.length);
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(header.length), 'content-length': String(length) });
  res.write(header);
  for (const p of parts) res.write(p);
  res.end();
}
