/**
 * The ONNX host's request/response protocol (over the child process' IPC channel, `serialization:
 * 'advanced'`, so typed arrays and BigInt64Arrays cross by structured clone). The host answers
 * requests one at a time, in the order sent: the oldest unanswered request is the one running.
 *
 * Glossary: the *host* is one child process running onnxruntime (./host-main.ts); a *model id*
 * names one loaded session inside it (one per hosted scorer, ./hosted-scorer.ts).
 */
import { AppError, type ErrorCode } from '../../../../lib/errors';
import type { NamedTensor } from '../../../tensor-io';
import type { OnnxRuntimeInfo } from '../runtime';
import type { OnnxServing } from '../serving-info';
import type { OnnxSpecs } from '../specs';

/** What the parent asks, by `op`. */
export type HostRequest =
  | { id: number; op: 'inspect'; bytes: Uint8Array; filename: string }
  | { id: number; op: 'load'; model: string; bytes: Uint8Array; info: OnnxServing }
  | { id: number; op: 'infer'; model: string; inputs: NamedTensor[]; outputNames?: string[] }
  | { id: number; op: 'unload'; model: string }
  | { id: number; op: 'runtime' };

export type HostOp = HostRequest['op'];

/** What each op answers. */
export interface HostResults {
  inspect: OnnxSpecs;
  load: LoadedInHost;
  infer: NamedTensor[];
  unload: boolean;
  /** Which ONNX runtime the host loaded (../runtime.ts), and why when it fell back. */
  runtime: OnnxRuntimeInfo;
}

/**
 * What loading a model cost its host: `measuredBytes`, the growth of the host process' resident set
 * (RSS, /proc via process.memoryUsage.rss) from before the session is opened to after, in bytes.
 * It counts what onnxruntime allocated for the session (the initializers' copy, the graph,
 * pre-packed weights, arena blocks taken while optimising) and V8's heap growth meanwhile. Error:
 * ± a few 4 KiB pages, plus what it cannot see: pages the allocator reused from earlier frees (an
 * undercount, most likely after a model was unloaded from the same host: never below 0), and memory
 * the first inferences allocate later (activations, arena growth: not counted).
 */
export interface LoadedInHost {
  measuredBytes: number;
}

/** An error as it crosses the channel: an AppError keeps its code and details. */
export interface WireError {
  message: string;
  code?: ErrorCode;
  details?: Record<string, unknown>;
}

export type HostResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

/** @returns `err` as it crosses the channel (message bounded to 500 characters). */
export function toWire(err: unknown): WireError {
  if (err instanceof AppError) return { message: err.message, code: err.code, ...(err.details ? { details: err.details } : {}) };
  return { message: (err instanceof Error ? err.message : String(err)).slice(0, 500) };
}

/** @returns the AppError (code and details kept) or Error the host threw. */
export function fromWire(op: HostOp, e: WireError): Error {
  if (e.code) return new AppError(e.code, e.message, e.details);
  return new Error(`ONNX host ${op} failed: ${e.message}`);
}
