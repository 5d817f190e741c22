/**
 * Reading an uploaded model file from its multipart stream: chunk by chunk with a running SHA-256,
 * refused as soon as it passes the limit (the rest is not read). The bytes are kept (a session is
 * opened on them and they are stored as one bytea), so the limit bounds memory too.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { badInput } from '../../lib/errors';
import { uploadRefusal } from '../common/read-upload';

/**
 * @param open the upload's stream (graphql-upload's `createReadStream`).
 * @param limit most bytes accepted (config ONNX_MAX_UPLOAD_BYTES).
 * @returns the bytes, their hex SHA-256 and their size.
 * @throws AppError BAD_USER_INPUT naming the file when it is larger than `limit` (or than the
 *   multipart limit, which answers 413 inside the stream); naming `file` when the request was cut
 *   off or is not well-formed multipart.
 */
export async function readModelFile(open: () => Readable, limit: number, filename: string): Promise<{ bytes: Buffer; sha256: string; sizeBytes: number }> {
  const tooLarge = () => badInput(`file '${filename.slice(0, 100)}' is larger than the model upload limit of ${limit} bytes`, { field: 'file', limitBytes: limit });
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = open();
  try {
    for await (const chunk of stream) {
      const b = chunk as Buffer;
      size += b.length;
      if (size > limit) throw tooLarge();
      hash.update(b);
      chunks.push(b);
    }
  } catch (err) {
    stream.destroy();
    if ((err as { status?: number }).status === 413) throw tooLarge();
    // A request cut off or not well-formed multipart (review 6: INTERNAL_SERVER_ERROR here, BAD_USER_INPUT on the other uploads).
    throw uploadRefusal(err, 'file') ?? err;
  }
  return { bytes: Buffer.concat(chunks, size), sha256: hash.digest('hex'), sizeBytes: size };
}
