/**
 * Micro-batching of named-tensor inference (uploaded ONNX models) whose batch dimension is
 * dynamic (the Titanic pipeline, rf_iris, super-resolution): concurrent `infer` calls on the same
 * loaded version, asking for the same outputs, are joined along dimension 0 into one session run
 * (as batcher.ts does for the platform's own models), and each
 * caller gets exactly its own rows of every output back. The wait is predict's (BATCH_MAX_WAIT_MS;
 * 0: the current event-loop turn), the largest batch BATCH_MAX_ROWS. A batch the model refuses is retried one
 * request at a time, so a bad request fails alone.
 */
import type { NamedTensor, TensorSpec } from '../../ml/tensor-io';
import type { TensorSpecs } from './named-tensors';

/** Runs the model once (the family's `inferTensors`, on a scoring thread). */
export type InferFn = (inputs: NamedTensor[], outputs: string[] | undefined) => Promise<NamedTensor[]>;

interface Pending {
  inputs: NamedTensor[];
  rows: number;
  resolve: (out: NamedTensor[]) => void;
  reject: (err: unknown) => void;
}

const batchDimOnly = (s: TensorSpec) => s.shape.length >= 1 && s.shape[0] === -1 && s.shape.slice(1).every((d) => d >= 0);

/**
 * Whether a model's calls can be joined: every input has a dynamic first dimension and fixed
 * others, and every output a dynamic first dimension.
 */
export function batchable(specs: TensorSpecs): boolean {
  return specs.inputs.length > 0 && specs.inputs.every(batchDimOnly) && specs.outputs.every((s) => s.shape.length >= 1 && s.shape[0] === -1);
}

/** Joins concurrent calls of one loaded version (one batcher per loaded model, see InferService). */
export class TensorBatcher {
  private readonly queues = new Map<string, Pending[]>();
  private readonly rowsQueued = new Map<string, number>();

  constructor(
    private readonly run: InferFn,
    private readonly specs: TensorSpecs,
    /** maxRows: rows that flush a batch at once; maxWaitMs: longest wait for company (0: this turn); onBatch: rows of each run (metrics). */
    private readonly options: { maxRows: number; maxWaitMs?: number; onBatch?: (rows: number) => void },
  ) {}

  /**
   * @param inputs checked against the specs (checkAgainstSpecs), `rows` along dimension 0.
   * @param runRows the most rows one run may join (Default: no bound beyond maxRows): a joined run
   *   holds its scoring lane as long as all its calls together, and another tenant's call waits for
   *   it (issue 10), so InferService bounds a run to what one call may answer (INFER_MAX_OUTPUT_VALUES).
   * @returns the outputs for exactly these rows.
   */
  submit(inputs: NamedTensor[], outputs: string[] | undefined, rows: number, runRows = Infinity): Promise<NamedTensor[]> {
    const most = Math.min(this.options.maxRows, runRows);
    if (rows >= most) {
      this.options.onBatch?.(rows);
      return this.run(inputs, outputs);
    }
    const key = JSON.stringify(outputs ?? null);
    if ((this.rowsQueued.get(key) ?? 0) + rows > most) this.flush(key, outputs); // this call would make the run too large: it starts the next one
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(key);
      if (!queue) {
        queue = [];
        this.queues.set(key, queue);
        const wait = this.options.maxWaitMs ?? 0;
        if (wait > 0) setTimeout(() => this.flush(key, outputs), wait);
        else setImmediate(() => this.flush(key, outputs));
      }
      queue.push({ inputs, rows, resolve, reject });
      const queued = (this.rowsQueued.get(key) ?? 0) + rows;
      this.rowsQueued.set(key, queued);
      if (queued >= most) this.flush(key, outputs);
    });
  }

  private flush(key: string, outputs: string[] | undefined): void {
    const batch = this.queues.get(key);
    this.queues.delete(key);
    this.rowsQueued.delete(key);
    if (!batch || batch.length === 0) return;
    const total = batch.reduce((n, p) => n + p.rows, 0);
    this.options.onBatch?.(total);
    if (batch.length === 1) return void this.run(batch[0]!.inputs, outputs).then(batch[0]!.resolve, batch[0]!.reject);
    const joined = this.specs.inputs.map((spec) => join(spec, batch, total));
    this.run(joined, outputs).then(
      (out) => split(out, batch, total),
      () => {
        // One bad request must not fail the others: each on its own.
        for (const p of batch) this.run(p.inputs, outputs).then(p.resolve, p.reject);
      },
    );
  }
}

/** The input `spec.name` of every request, one after the other along dimension 0. */
function join(spec: TensorSpec, batch: Pending[], total: number): NamedTensor {
  const first = batch[0]!.inputs.find((t) => t.name === spec.name)!;
  const parts = batch.map((p) => p.inputs.find((i) => i.name === spec.name)!.data as ArrayLike<unknown>);
  const shape = [total, ...first.shape.slice(1)];
  if (parts.every((d) => Object.prototype.toString.call(d) === '[object Float64Array]')) {
    // Packed numbers (named-tensors.ts packedInputs) stay packed: one copy of bytes per part.
    const data = new Float64Array(parts.reduce((n, d) => n + d.length, 0));
    let at = 0;
    for (const d of parts as Float64Array[]) {
      data.set(d, at);
      at += d.length;
    }
    return { name: spec.name, datatype: first.datatype, shape, data };
  }
  const data: unknown[] = [];
  for (const d of parts) for (let i = 0; i < d.length; i++) data.push(d[i]);
  return { name: spec.name, datatype: first.datatype, shape, data: data as NamedTensor['data'] };
}

/** Each request's rows of every output, in order. */
function split(out: NamedTensor[], batch: Pending[], total: number): void {
  const bad = out.find((t) => t.shape[0] !== total);
  if (bad) {
    const err = new Error(`Output '${bad.name}' has ${bad.shape[0]} rows for a batch of ${total}`);
    return batch.forEach((p) => p.reject(err));
  }
  let row = 0;
  for (const p of batch) {
    p.resolve(
      out.map((t) => {
        const width = total > 0 ? t.data.length / total : 0;
        return { ...t, shape: [p.rows, ...t.shape.slice(1)], data: t.data.slice(row * width, (row + p.rows) * width) as NamedTensor['data'] };
      }),
    );
    row += p.rows;
  }
}
