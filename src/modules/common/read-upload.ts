/**
 * Reading a multipart upload (graphql-upload) for the upload resolvers (datasets, image datasets, ONNX versions). Everything that
 * can go wrong with what the client sent is its error, coded BAD_USER_INPUT and naming the argument:
 * a file the `map` names but the request does not hold, a request cut off while its file streams in,
 * a file past MAX_UPLOAD_BYTES, a body that is not well-formed multipart. graphql-upload reports those as http-errors with a 4xx `status`
 * (400 "File missing in the request.", 413, 499 "Request disconnected …") by rejecting the upload's
 * promise; type-graphql awaited that promise before the resolver ran, so the rejection reached the
 * client as INTERNAL_SERVER_ERROR (issue 10). The `Upload` scalar (upload.scalar.ts) therefore hands
 * resolvers a {@link PendingUpload}, which type-graphql passes on as it is.
 */
import type { FileUpload } from 'graphql-upload/processRequest.mjs';
import { AppError, badInput } from '../../lib/errors';

/**
 * An upload whose file may still be streaming in (or never come): what an `Upload` argument holds.
 * Not a promise itself, so nothing awaits it before the resolver does, with {@link readUploadedFile}.
 */
export class PendingUpload {
  constructor(readonly file: Promise<FileUpload>) {
    // A resolver that refuses the request before reading the file must not leave an unhandled rejection.
    file.catch(() => undefined);
  }
}

/** The file's name as the client gave it, and its bytes. */
export interface UploadedFile {
  filename: string;
  content: Buffer;
}

/**
 * The multipart parser's own refusals (busboy's messages, as of busboy 1.6): the request body is not
 * well-formed multipart (e.g. a part header with a NUL or no colon). graphql-upload passes them on
 * without a status.
 */
const MALFORMED_MULTIPART = new Set([
  'Malformed part header',
  'Unexpected end of form',
  'Unexpected end of file',
  'Multipart: Boundary not found',
  'Malformed urlencoded form',
  'Missing Content-Type',
  'Malformed content type',
]);

/**
 * graphql-upload's refusal of the request (an http-errors error with a client status), or the
 * multipart parser's (400), if `err` is one.
 */
function clientStatus(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === 'number') return status >= 400 && status < 500 ? status : undefined;
  // Not only an Error: graphql-upload may hand busboy's refusal on as a plain object (review 6: "type":"Object").
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' && MALFORMED_MULTIPART.has(message) ? 400 : undefined;
}

/**
 * The BAD_USER_INPUT for graphql-upload's refusal `err` of `field` (too large, cut off, malformed
 * multipart), or undefined when `err` is not a client error (readModelFile streams its file itself).
 */
export function uploadRefusal(err: unknown, field: string, limit?: number): AppError | undefined {
  const status = clientStatus(err);
  if (status === 413 && limit !== undefined) return badInput(`${field} is larger than the upload limit of ${limit} bytes`, { field });
  if (status !== undefined) return badInput(`${field} could not be read from the request: ${String((err as Error).message).slice(0, 200)}`, { field });
  return undefined;
}

/**
 * Awaits the upload's file (for a caller that streams it itself, e.g. uploadModelVersion).
 * @param field the argument's name, for messages.
 * @throws AppError BAD_USER_INPUT naming `field` when the request does not hold the file or was cut off.
 */
export async function awaitUpload(upload: PendingUpload, field: string): Promise<FileUpload> {
  try {
    return await upload.file;
  } catch (err) {
    throw uploadRefusal(err, field) ?? err;
  }
}

/**
 * Awaits the upload and reads its stream, at most `limit` bytes.
 * @param field the argument's name, for messages (`file`, `images`, `labels`).
 * @throws AppError BAD_USER_INPUT naming `field`: larger than `limit`, missing from the request, the
 *   request cut off or malformed while it streamed. Other errors (the server's) as they are.
 */
export async function readUploadedFile(upload: PendingUpload, field: string, limit: number): Promise<UploadedFile> {
  const file = await awaitUpload(upload, field);
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of file.createReadStream()) {
      size += (chunk as Buffer).length;
      if (size > limit) throw badInput(`${field} is larger than the upload limit of ${limit} bytes`, { field });
      chunks.push(chunk as Buffer);
    }
    return { filename: file.filename, content: Buffer.concat(chunks) };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw uploadRefusal(err, field, limit) ?? err;
  }
}
