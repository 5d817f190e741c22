/**
 * The envelope a thread task returns (see thread-pool.ts). A thrown Error loses its own fields
 * (`code`, `details`) when structured clone carries it to the main thread, so tasks catch and
 * return errors as data; large typed arrays in the value are moved, not copied.
 */
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { AppError, type ErrorCode } from '../errors';

/**
 * Bytes to move to a thread instead of copying them (a copy of tens of MB costs the event loop
 * hundreds of ms). Bytes that share their ArrayBuffer (small Buffers live in Node's pool) are
 * copied into their own first, so moving them detaches nothing else.
 * @returns the bytes to send, and the transfer list for ThreadPool.run; the caller must not use
 *   `bytes` afterwards (a task may hand them back, see profileCsv).
 */
export function movable(bytes: Uint8Array): { bytes: Uint8Array; transfer: ArrayBuffer[] } {
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes : new Uint8Array(bytes);
  return { bytes: own, transfer: [own.buffer as ArrayBuffer] };
}

export type TaskResult<T> = { ok: true; value: T } | { ok: false; error: { code?: ErrorCode; message: string; details?: Record<string, unknown> } };

/**
 * Runs `fn` and wraps its outcome as a {@link TaskResult}.
 * @param buffersOf lists the ArrayBuffers of the value to transfer to the main thread (moved, so
 *   the thread must not use them afterwards); duplicates are dropped.
 */
export function runTask<T>(fn: () => T, buffersOf?: (value: T) => ArrayBufferLike[]): TaskResult<T> {
  let value: T;
  try {
    value = fn();
  } catch (err) {
    return failure(err);
  }
  return success(value, buffersOf);
}

/** {@link runTask} for an async task. */
export async function runTaskAsync<T>(fn: () => Promise<T>, buffersOf?: (value: T) => ArrayBufferLike[]): Promise<TaskResult<T>> {
  let value: T;
  try {
    value = await fn();
  } catch (err) {
    return failure(err);
  }
  return success(value, buffersOf);
}

function failure(err: unknown): TaskResult<never> {
  if (err instanceof AppError) return { ok: false, error: { code: err.code, message: err.message, details: err.details } };
  return { ok: false, error: { message: err instanceof Error ? err.message : String(err) } };
}

function success<T>(value: T, buffersOf?: (value: T) => ArrayBufferLike[]): TaskResult<T> {
  const result: TaskResult<T> = { ok: true, value };
  if (!buffersOf) return result;
  const buffers = [...new Set(buffersOf(value))];
  // Piscina's Transferable protocol: the wrapper is replaced by `valueSymbol`'s value, with these
  // buffers moved along.
  return move({ [transferableSymbol]: buffers, [valueSymbol]: result }) as unknown as TaskResult<T>;
}
