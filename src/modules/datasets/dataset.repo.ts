/** Datasets: the only place that touches the Dataset table; every method takes the tenant. */
import type { Tx } from '../../lib/tenant-tx';
import type { PageWindow } from '../common/keyset';
import { readPage, type PageableTable } from '../common/page.repo';
import type { ColumnProfile } from '../../ml/data/profile';
import type { ImageProfile } from '../../ml/images/profile';

/** Everything but the bytes, for listings and GraphQL. */
const summary = {
  id: true,
  name: true,
  filename: true,
  sizeBytes: true,
  rowCount: true,
  hasHeader: true,
  delimiter: true,
  quoting: true,
  encoding: true,
  columns: true,
  createdAt: true,
  format: true,
  imageProfile: true,
} as const;

/** A profiled upload, as stored. */
export interface NewDataset {
  name: string;
  filename: string | null;
  content: Buffer;
  rowCount: number;
  hasHeader: boolean;
  delimiter: string;
  quoting: boolean;
  /** The text encoding of a CSV; null for image datasets (stored as tensors). */
  encoding: string | null;
  columns: ColumnProfile[];
  /** 'csv' (Default) or 'image'. */
  format?: 'csv' | 'image';
  /** Image datasets: their profile (src/ml/images/profile.ts). */
  imageProfile?: ImageProfile;
}

/** Dataset rows; every method folds the tenant into its `where`. */
export class DatasetRepo {
  /** Stores the bytes as they are (no copy). */
  create(tx: Tx, tenantId: string, d: NewDataset) {
    return tx.dataset.create({
      data: {
        ...d,
        tenantId,
        sizeBytes: d.content.length,
        content: d.content as Uint8Array<ArrayBuffer>,
        columns: d.columns as object[],
        imageProfile: d.imageProfile ? (d.imageProfile as unknown as object) : undefined,
      },
      select: summary,
    });
  }

  /** One of the tenant's datasets without its bytes, or null. */
  find(tx: Tx, tenantId: string, id: string) {
    return tx.dataset.findFirst({ where: { id, tenantId }, select: summary });
  }

  /** One of the tenant's datasets with its bytes, or null. */
  findWithContent(tx: Tx, tenantId: string, id: string) {
    return tx.dataset.findFirst({ where: { id, tenantId } });
  }

  /** The tenant's datasets without bytes, newest first. */
  /** The tenant's datasets among `ids` (one statement, for DataLoader); others' ids find nothing. */
  findMany(tx: Tx, tenantId: string, ids: readonly string[]) {
    return tx.dataset.findMany({ where: { tenantId, id: { in: [...ids] } }, select: summary });
  }

  /** One keyset page of the tenant's datasets, newest first; `name` matches part of the name, any case. */
  page(tx: Tx, tenantId: string, filter: { name?: string; createdAfter?: Date; createdBefore?: Date }, window: PageWindow) {
    const where = {
      tenantId,
      ...(filter.name ? { name: { contains: filter.name, mode: 'insensitive' as const } } : {}),
      ...(filter.createdAfter || filter.createdBefore ? { createdAt: { gte: filter.createdAfter, lt: filter.createdBefore } } : {}),
    };
    const table = {
      findMany: (args: { where: object; orderBy: object[]; take: number }) => tx.dataset.findMany({ ...args, select: summary }),
      count: (args: { where: object; take?: number }) => tx.dataset.count(args),
    };
    return readPage(table as unknown as PageableTable<DatasetSummary>, where, window);
  }

  list(tx: Tx, tenantId: string, take: number) {
    return tx.dataset.findMany({ where: { tenantId }, select: summary, orderBy: { createdAt: 'desc' }, take });
  }

  /** Sum of the sizes of the tenant's datasets, bytes. */
  async totalBytes(tx: Tx, tenantId: string): Promise<number> {
    const { _sum } = await tx.dataset.aggregate({ where: { tenantId }, _sum: { sizeBytes: true } });
    return _sum.sizeBytes ?? 0;
  }

  /** @returns whether a row was deleted. */
  async delete(tx: Tx, tenantId: string, id: string) {
    const { count } = await tx.dataset.deleteMany({ where: { id, tenantId } });
    return count > 0;
  }
}

/** A dataset as listed (no content). */
export type DatasetSummary = Awaited<ReturnType<DatasetRepo['find']>> & object;
