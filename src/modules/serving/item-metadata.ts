/**
 * Item (and user) metadata for recommenders, joined by id on the API side: a recommender's pipeline
 * names a dataset of the tenant with one row per item (`interactions.itemMetadata`: dataset, id
 * column, title column), e.g. MovieLens' u.item, and optionally one per user (`userMetadata`). The dataset is parsed once per process and kept (small,
 * bounded cache, entries expire after {@link TTL_MS} so a deleted or replaced dataset is dropped);
 * a dataset that no longer exists yields no metadata rather than an error.
 */
import type { Db } from '../../lib/db';
import { withTenant } from '../../lib/tenant-tx';
import { parseBytes } from '../../ml/data/csv-tasks';
import type { ColumnProfile } from '../../ml/data/profile';
import { storedCsvOptions } from '../../ml/data/stored-format';
import type { MetadataRef } from '../../ml/preprocess/types';
import type { DatasetRepo } from '../datasets/dataset.repo';

/** What is shown of an item. */
export interface ItemInfo {
  title: string | null;
  /** The item's row, keyed by column (numbers as numbers, missing as null). */
  metadata: Record<string, string | number | null>;
}

/** Looks an item id up (undefined: not in the metadata). */
export type ItemLookup = (itemId: string) => ItemInfo | undefined;

const TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 32;
const none: ItemLookup = () => undefined;

/** Per-process catalogue of parsed item metadata datasets. */
export class ItemMetadataCatalog {
  private readonly cache = new Map<string, { lookup: Promise<ItemLookup>; until: number }>();

  constructor(
    private readonly prisma: Db,
    private readonly datasets: DatasetRepo,
  ) {}

  /** The lookup for a version's item (or user) metadata (one that finds nothing when it has none). */
  lookup(tenantId: string, ref: MetadataRef | undefined): Promise<ItemLookup> {
    if (!ref) return Promise.resolve(none);
    const key = `${tenantId}\u0000${ref.datasetId}\u0000${ref.idColumn}\u0000${ref.titleColumn ?? ''}`;
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return hit.lookup;
    if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    const lookup = this.load(tenantId, ref).catch(() => none);
    this.cache.set(key, { lookup, until: Date.now() + TTL_MS });
    return lookup;
  }

  private async load(tenantId: string, ref: MetadataRef): Promise<ItemLookup> {
    const dataset = await withTenant(this.prisma, tenantId, (tx) => this.datasets.findWithContent(tx, tenantId, ref.datasetId));
    if (!dataset) return none;
    // Read as uploaded: column names given at upload, encoding, quoting (see storedCsvOptions).
    const table = parseBytes(dataset.content, storedCsvOptions({ ...dataset, columns: dataset.columns as unknown as ColumnProfile[] }));
    const at = table.columns.indexOf(ref.idColumn);
    if (at < 0) return none;
    const cell = (j: number, row: number): string | number | null => {
      const c = table.data[j];
      if (c.kind === 'numeric') return Number.isNaN(c.values[row]) ? null : c.values[row];
      return c.codes[row] < 0 ? null : c.dictionary[c.codes[row]];
    };
    const rows = new Map<string, number>();
    for (let row = 0; row < table.rowCount; row++) {
      const id = cell(at, row);
      if (id !== null && !rows.has(String(id))) rows.set(String(id), row);
    }
    const titleAt = ref.titleColumn ? table.columns.indexOf(ref.titleColumn) : -1;
    return (itemId) => {
      const row = rows.get(itemId);
      if (row === undefined) return undefined;
      const title = titleAt >= 0 ? cell(titleAt, row) : null;
      return { title: title === null ? null : String(title), metadata: Object.fromEntries(table.columns.map((name, j) => [name, cell(j, row)])) };
    };
  }
}
