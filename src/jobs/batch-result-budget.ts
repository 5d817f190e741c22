/**
 * The storage quota as a batch prediction builds its result (hostile review: a batch stored 260 MB
 * against a 30 MB quota, its size estimated only when it was started, at
 * PREDICTION_BYTES_PER_ROW a row). The job counts the real bytes of both CSVs chunk by chunk and
 * stops as soon as they pass the room the quota leaves, so it never holds much more than that in
 * memory; the final check is QuotaService.checkBatchResult, under the quota lock, as it stores.
 */
import type { AppError } from '../lib/errors';
import type { ExportCell } from '../ml/data/csv-export';

/**
 * At least the bytes `cells` take in a CSV: a string's UTF-16 length (UTF-8 takes at least one
 * byte per unit), a number's shortest digits; separators and quotes not counted.
 */
export function cellBytesAtLeast(cells: readonly ExportCell[]): number {
  let n = 0;
  for (const c of cells) if (c !== null) n += typeof c === 'string' ? c.length : String(c).length;
  return n;
}

/** What one batch's result may still take of the storage quota, and what it took so far. */
export class ResultBudget {
  /** Bytes of the CSV with the dataset's cells so far. */
  fullBytes = 0;
  /** Bytes of the CSV of row numbers and predictions so far. */
  onlyBytes = 0;

  /**
   * @param room bytes the quota leaves for this batch's result (QuotaService.batchResultRoom).
   * @param refuse the QUOTA_EXCEEDED error for a subject naming the sizes (QuotaService's storageExceeded).
   */
  constructor(
    private readonly room: number,
    private readonly refuse: (what: string) => AppError,
  ) {}

  /**
   * Before a chunk is written: refuses when even `atLeast` more bytes (e.g. {@link cellBytesAtLeast}
   * of its cells) would not fit, so the chunk is never built.
   * @throws AppError QUOTA_EXCEEDED naming the bytes and the rows scored.
   */
  expect(atLeast: number, rows: number, total: number): void {
    if (this.fullBytes + this.onlyBytes + atLeast > this.room) this.fail(`at least ${this.fullBytes + this.onlyBytes + atLeast} bytes`, rows, total);
  }

  /**
   * Counts a written chunk of each CSV.
   * @throws AppError QUOTA_EXCEEDED once the result so far does not fit.
   */
  add(full: string, only: string, rows: number, total: number): void {
    this.fullBytes += Buffer.byteLength(full);
    this.onlyBytes += Buffer.byteLength(only);
    if (this.fullBytes + this.onlyBytes > this.room) {
      this.fail(`${this.fullBytes + this.onlyBytes} bytes: ${this.fullBytes} with the dataset's cells, ${this.onlyBytes} of predictions only`, rows, total);
    }
  }

  private fail(size: string, rows: number, total: number): never {
    throw this.refuse(`Storing this batch's result (${size}, after ${rows} of ${total} rows)`);
  }
}
