/**
 * The scoring thread's side of serving (src/ml/serving/scoring-threads.ts is the API side). Each
 * thread has its own TF.js/WASM runtime and its own loaded models, keyed by the handle the API side
 * gave them. Any served-model call is one generic task: `load` (the stored artifact + pipeline),
 * then `call` (a method name + structured-cloneable arguments → a structured-cloneable result).
 *
 * Built-in methods of every loaded model:
 * - `score(x: Float32Array [rows, ...inputShape], rows)` → Float32Array `[rows, ...outputShape]`
 *   (the micro-batch; its buffer moves both ways);
 * - `explain(values, rowCount, baseline, options)` → Explanations (src/ml/explain.ts);
 * plus the family's own queries (`Scorer.methods`, e.g. a recommender's `recommendations`).
 *
 * A fault that is not an AppError and aborted the runtime (src/ml/runtime-fault.ts) leaves this
 * thread's WASM module unusable: the thread posts the reason on its parentPort and ends itself, so
 * the pool starts a fresh thread with a fresh runtime. Any other error of one model's call is
 * returned as `{ error }`: only that call fails.
 */
import { parentPort, threadId } from 'node:worker_threads';
import { AppError } from '../../lib/errors';
import { runTask, runTaskAsync } from '../../lib/threads/task-result';
import { explainValues, type ExplainOptions } from '../explain';
import type { OnnxHostSettings } from '../families/onnx/host/host-process';
import { closeOnnxHosts, configureOnnxHosts, withHostSlot } from '../families/onnx/host/hosts';
import type { Scorer } from '../families/model-family';
import type { StoredModel } from '../predictor';
import type { Values } from '../preprocess/steps';
import { readPipeline } from '../preprocess/stored';
import { isRuntimeAbort } from '../runtime-fault';
import { initBackend, tf, type BackendName } from '../tf';
import { injectFault, type FaultMode } from './fault-injection';
import { loadMeasured } from './measured-load';

type Method = (...args: never[]) => unknown;

interface ThreadModel {
  scorer: Scorer;
  methods: Record<string, Method>;
  inject?: FaultMode;
  measuredBytes?: number;
}

const models = new Map<string, ThreadModel>();

/** Posted on parentPort just before the thread ends itself after a runtime abort. */
export interface ScoringThreadFault {
  scoringFault: { key: string; reason: string };
}

export interface LoadInput {
  /** The handle's key (one per load on the API side; a version may be loaded under several). */
  key: string;
  /** The stored version: framework, topology, weights bytes, preprocessing JSON. */
  stored: StoredModel;
  backend: BackendName;
  /** Test-only: fail the runtime this way whenever this model is called (src/ml/serving/fault-injection.ts). */
  inject?: FaultMode;
  /** How this thread starts its ONNX host process (src/ml/families/onnx/host/hosts.ts). */
  onnxHost?: Partial<OnnxHostSettings>;
}

/** What a loaded model tells the API side. */
export interface LoadOutput {
  inputShape: number[];
  outputShape: number[];
  /** Methods `call` accepts for it. */
  methods: string[];
  /** What loading it measured, bytes (./measured-load.ts); absent when not measured. */
  measuredBytes?: number;
}

export interface CallInput {
  key: string;
  method: string;
  args: unknown[];
  /** An ONNX model's call: which of this thread's ONNX hosts runs it (the host lane's slot, ../families/onnx/host/hosts.ts). (Default: 0) */
  host?: number;
}

/**
 * `value`: the method's result; `notLoaded`: this thread does not hold the key (a fresh thread), and
 * here are the arguments back (their buffers moved again); `error`: the model's call failed (not the runtime).
 */
export type CallOutput = { value: unknown } | { notLoaded: true; args: unknown[] } | { error: string };

/** Starts the thread's TF.js backend ahead of the first model. @returns the backend it got. */
export function warmUp(backend: BackendName) {
  return runTaskAsync(() => initBackend(backend));
}

/**
 * Loads a model under `key` (a second load of the same key is a no-op).
 * @throws (as a TaskResult) AppError BAD_USER_INPUT for an artifact its family cannot read.
 */
export function load(input: LoadInput) {
  return runTaskAsync(async (): Promise<LoadOutput> => {
    let model = models.get(input.key);
    if (!model) {
      await initBackend(input.backend);
      configureOnnxHosts(input.onnxHost);
      const pipeline = readPipeline(input.stored.preprocessing);
      let scorer: Scorer;
      let measuredBytes: number | undefined;
      try {
        ({ scorer, measuredBytes } = await loadMeasured(input.stored, pipeline));
      } catch (err) {
        endThreadIfAborted(input.key, err);
        throw err;
      }
      const methods: Record<string, Method> = {
        ...(scorer.methods ?? {}),
        score: ((x: Float32Array, rows: number) => scorer.score(x, rows)) as Method,
        explain: ((values: Values[], rowCount: number, baseline: Values[], options: ExplainOptions) =>
          explainValues(scorer, pipeline, values, rowCount, baseline, options)) as Method,
      };
      model = { scorer, methods, inject: input.inject, measuredBytes };
      models.set(input.key, model);
    }
    return {
      inputShape: [...model.scorer.inputShape],
      outputShape: [...model.scorer.outputShape],
      methods: Object.keys(model.methods),
      ...(model.measuredBytes !== undefined ? { measuredBytes: model.measuredBytes } : {}),
    };
  });
}

/**
 * Calls `method` of the model loaded under `key`; typed arrays in the result move to the API thread.
 * @throws (as a TaskResult) AppError as the method throws it (BAD_USER_INPUT for a shape mismatch),
 *   NOT_SUPPORTED for a method the model does not have. A runtime abort ends the thread.
 */
export function call(input: CallInput) {
  return runTaskAsync(
    async (): Promise<CallOutput> => {
      const model = models.get(input.key);
      if (!model) return { notLoaded: true, args: input.args };
      const fn = model.methods[input.method];
      if (!fn) throw new AppError('NOT_SUPPORTED', `This model version does not answer '${input.method.slice(0, 50)}'`);
      try {
        if (model.inject) injectFault(model.inject);
        return { value: await withHostSlot(input.host ?? 0, () => (fn as (...args: unknown[]) => unknown)(...input.args)) };
      } catch (err) {
        if (err instanceof AppError) throw err;
        endThreadIfAborted(input.key, err);
        return { error: reason(err) };
      }
    },
    (out) => ('value' in out ? buffersOf(out.value) : 'args' in out ? out.args.flatMap(buffersOf) : []),
  );
}

/** Disposes the model loaded under `key` (if any). */
export function unload(key: string) {
  return runTask(() => {
    const model = models.get(key);
    models.delete(key);
    model?.scorer.dispose();
    return model !== undefined;
  });
}

/** Ends this thread's ONNX host processes for good, failing their calls in progress (before the pool stops the thread). */
export function closeHosts(_input?: undefined) {
  return runTaskAsync(async () => {
    await closeOnnxHosts(true);
    return true;
  });
}

/** Which thread answers, its live tensors (flat across calls when nothing leaks) and models. */
export function info(_input?: undefined) {
  return runTask(() => ({ threadId, tensors: tf.memory().numTensors, models: models.size }));
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 500);

/** The ArrayBuffers of a result to move rather than copy: a typed array, or one level of an array/object. */
function buffersOf(value: unknown): ArrayBufferLike[] {
  const own = (v: unknown) => (ArrayBuffer.isView(v) && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength ? [v.buffer] : []);
  if (ArrayBuffer.isView(value)) return own(value);
  if (value && typeof value === 'object') return Object.values(value).flatMap(own);
  return [];
}

/** After a runtime abort this thread's WASM module stays aborted: say why, then end the thread. */
function endThreadIfAborted(key: string, err: unknown): void {
  if (!isRuntimeAbort(err) || !parentPort) return;
  const fault: ScoringThreadFault = { scoringFault: { key, reason: reason(err) } };
  parentPort.postMessage(fault);
  process.exit(1); // in a worker thread, ends this thread only
}
