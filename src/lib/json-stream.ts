/**
 * Large JSON answers written in slices that yield to the event loop: one `JSON.stringify` of
 * super-resolution's 451,584 floats (~9 MB) holds the API process's event loop for hundreds of
 * milliseconds, during which no other tenant's request is answered (issues 10 and 12). Here a big
 * array is encoded {@link SLICE} elements at a time, with a turn of the event loop (setImmediate)
 * between slices, and a wait for 'drain' when the socket's buffer is full (backpressure). The bytes
 * are the same as `JSON.stringify`'s.
 *
 * {@link DeferredArrays} lets a body serialised by someone else (Apollo) carry a placeholder string
 * where a big array goes, and writes the body with the arrays spliced in, streamed.
 *
 * An array whose JSON was encoded already, on a thread ({@link EncodedJsonArray}, issue 10), is
 * written as its bytes: the event loop then only hands finished bytes to the socket.
 */
import crypto from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { EncodedJsonArray } from './json-array-bytes';

/** Array elements encoded per event-loop turn (~160 kB of JSON for floats, a few ms). */
export const SLICE = 16_384;

/**
 * Writes `text`, then waits for the next event-loop turn (or for 'drain' when the socket's buffer
 * is full). @returns false when the connection has gone (nothing more to write).
 */
export async function writeAndYield(res: ServerResponse, text: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (res.write(text)) {
    await nextTurn();
    return !res.destroyed;
  }
  return drained(res);
}

/** Resolves true on the socket's next 'drain', false when it closes first. */
function drained(res: ServerResponse): Promise<boolean> {
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

/** What {@link writeJsonArray} writes: plain values, or an array encoded already. */
export type JsonArrayData = (ArrayLike<unknown> & { slice(start: number, end: number): unknown }) | EncodedJsonArray;

/** Bytes of an encoded array handed to the socket per write (views, not copies). */
export const BYTES_PER_TURN = 256 * 1024;

/**
 * Writes the bytes {@link BYTES_PER_TURN} at a time, waiting for 'drain' whenever the socket's
 * buffer is full: one write of 9 MB would hold the event loop while the kernel copies as much as
 * the socket takes, and a turn of the event loop after every piece (as for slices still to encode)
 * would make every other request's I/O wait behind each piece. @returns false when the connection has gone.
 */
async function writeBytes(res: ServerResponse, bytes: Uint8Array): Promise<boolean> {
  let open = !res.destroyed;
  for (let at = 0; open && at < bytes.length; at += BYTES_PER_TURN) {
    if (!res.write(bytes.subarray(at, at + BYTES_PER_TURN))) open = await drained(res);
    else open = !res.destroyed;
  }
  return open;
}

/**
 * Writes `data` as a JSON array (`[1,2.5,…]`): an {@link EncodedJsonArray} as its bytes, else
 * {@link SLICE} elements per event-loop turn.
 * @param data numbers, booleans or strings (JSON.stringify's encoding of each), or encoded already.
 * @returns false when the connection has gone.
 */
export async function writeJsonArray(res: ServerResponse, data: JsonArrayData): Promise<boolean> {
  if (data instanceof EncodedJsonArray) return writeBytes(res, data.json);
  let open = await writeAndYield(res, '[');
  for (let at = 0; open && at < data.length; at += SLICE) {
    const piece = JSON.stringify(data.slice(at, at + SLICE)).slice(1, -1);
    open = await writeAndYield(res, at ? `,${piece}` : piece);
  }
  return open && writeAndYield(res, ']');
}

/**
 * Placeholders for big arrays in a JSON body that another serialiser writes (a GraphQL answer):
 * {@link defer} returns a string to put where the array goes, {@link stream} writes the serialised
 * body with each placeholder (a JSON string, quotes included) replaced by its array, in slices.
 * The placeholder carries a random per-request key, so a string the caller sent (an echoed id)
 * cannot name one.
 */
export class DeferredArrays {
  /** Made on the first {@link defer}: most answers defer nothing, and a random key per request was ~3 % of a no-op request's main-thread time. */
  private key?: string;
  private readonly arrays: JsonArrayData[] = [];

  /** How many arrays wait to be written. */
  get size(): number {
    return this.arrays.length;
  }

  /** @returns the placeholder string for `data` (written in its place by {@link stream}). */
  defer(data: JsonArrayData): string {
    this.key ??= crypto.randomBytes(12).toString('hex');
    this.arrays.push(data);
    return `@@deferred-array:${this.key}:${this.arrays.length - 1}@@`;
  }

  /**
   * Writes `body` (the serialised JSON holding the placeholders) to `res` and ends it: the text
   * between placeholders as it is, each placeholder's array by {@link writeJsonArray}. Headers and
   * status must be set; the body goes out chunked (no content-length). Placeholders missing from
   * `body` (a field nulled by an error) are dropped.
   */
  async stream(res: ServerResponse, body: string): Promise<void> {
    if (this.key === undefined) {
      if (!res.destroyed) res.end(body);
      return;
    }
    const placeholder = new RegExp(`"@@deferred-array:${this.key}:(\\d+)@@"`, 'g');
    let from = 0;
    let open = true;
    for (const m of body.matchAll(placeholder)) {
      const data = this.arrays[Number(m[1])];
      if (!open) break;
      if (!data) continue;
      open = await writeAndYield(res, body.slice(from, m.index));
      if (open) open = await writeJsonArray(res, data);
      from = m.index + m[0].length;
    }
    this.arrays.length = 0;
    if (open && !res.destroyed) res.end(body.slice(from));
  }
}
