/**
 * Parsed datasets kept between training runs (one cache per worker process): a run of a dataset
 * this process parsed before starts from the columnar {@link Table} instead of reading the bytes
 * from PostgreSQL, decoding and parsing them again.
 *
 * An entry is keyed by tenant, dataset id, the content checksum and the exact CSV options (the
 * spec's missing-value codes change the parse), so a lookup can only hit the same tenant's same
 * bytes parsed the same way; a changed dataset (another checksum) never hits. Entries are evicted
 * least recently used first past `maxBytes` (typed arrays at their byte length, dictionary strings
 * at 2 bytes a character), and dropped when their dataset is deleted or archived (`dropDataset`,
 * called on `Topics.datasetRemoved`). Tables are handed out as they are stored: callers must not
 * change them (a training thread receives a structured clone).
 */
import { EventEmitter } from 'node:events';
import type { CsvOptions, Table } from './csv';

/** What identifies a parsed table. */
export interface TableKey {
  tenantId: string;
  datasetId: string;
  /** The dataset's content checksum (sha256, hex). */
  checksum: string;
  /** The options the bytes are parsed with (src/ml/pipeline.ts `trainingCsvOptions`). */
  options: CsvOptions;
}

interface Entry {
  tenantId: string;
  datasetId: string;
  table: Table;
  bytes: number;
}

/** Bytes a table holds: its typed arrays, and its dictionaries' and names' strings (UTF-16). */
export function tableBytes(table: Table): number {
  let bytes = 0;
  const strings = (xs: readonly string[]) => xs.reduce((n, s) => n + 2 * s.length + 16, 0);
  for (const c of [...table.data, ...(table.text ?? [])]) bytes += c.kind === 'numeric' ? c.values.byteLength : c.codes.byteLength + strings(c.dictionary);
  return bytes + strings(table.columns);
}

/** The buffers of a table's columns, to move them (not copy) when the table crosses threads. */
export function tableBuffers(table: Table): ArrayBuffer[] {
  return [...table.data, ...(table.text ?? [])].map((c) => (c.kind === 'numeric' ? c.values.buffer : c.codes.buffer) as ArrayBuffer);
}

/** Parsed tables under a byte budget (see the module comment); emits `dropped` (tenantId, datasetId, count) after dropDataset. */
export class TableCache extends EventEmitter<{ dropped: [tenantId: string, datasetId: string, count: number] }> {
  private readonly entries = new Map<string, Entry>(); // insertion order = least recently used first
  private bytes = 0;
  private hits = 0;
  private misses = 0;

  /** @param maxBytes the budget; 0 keeps nothing. */
  constructor(private readonly maxBytes: number) {
    super();
  }

  private static keyOf(k: TableKey): string {
    return JSON.stringify([k.tenantId, k.datasetId, k.checksum, k.options]);
  }

  /** The table parsed for `key`, or undefined; a hit becomes the most recently used. */
  get(key: TableKey): Table | undefined {
    const id = TableCache.keyOf(key);
    const entry = this.entries.get(id);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.table;
  }

  /** Keeps `table` for `key`, evicting the least recently used past the budget; a table larger than the budget is not kept. */
  set(key: TableKey, table: Table): void {
    const id = TableCache.keyOf(key);
    this.remove(id);
    const bytes = tableBytes(table);
    if (bytes > this.maxBytes) return;
    this.entries.set(id, { tenantId: key.tenantId, datasetId: key.datasetId, table, bytes });
    this.bytes += bytes;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldest);
    }
  }

  /** Drops every table of the tenant's dataset (deleted or archived). @returns how many. */
  dropDataset(tenantId: string, datasetId: string): number {
    let dropped = 0;
    for (const [id, e] of this.entries) {
      if (e.tenantId === tenantId && e.datasetId === datasetId) {
        this.remove(id);
        dropped++;
      }
    }
    this.emit('dropped', tenantId, datasetId, dropped);
    return dropped;
  }

  /** Entries, bytes held, and hits and misses since the start. */
  stats() {
    return { entries: this.entries.size, bytes: this.bytes, maxBytes: this.maxBytes, hits: this.hits, misses: this.misses };
  }

  private remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.bytes -= entry.bytes;
  }
}
