/** Datasets: the only place that touches the Dataset table; every method takes the tenant. */
import type { Tx } from '../../lib/tenant-tx';
import type { Db } from '../../lib/db';
import type { PageWindow } from '../common/keyset';
import { readPage, type PageableTable } from '../common/page.repo';
import { contentChecksum } from '../../ml/data/checksum';
import type { ColumnProfile } from '../../ml/data/profile';
import type { ImageProfile } from '../../ml/images/profile';
import { nameContains } from '../common/name-filter';
import { createdWhere, type CreatedFilter } from '../common/created-filter';

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
  checksum: true,
  archivedAt: true,
} as const;

/** Datasets that are not archived (an archived one is kept for lineage, and for restore until purged). */
const live = { archivedAt: null };

/** What purging an archived dataset writes: no rows, no stored bytes. */
const purged = (at: Date) => ({ purgedAt: at, content: new Uint8Array(0), sizeBytes: 0 });

/** The filters of the archive list (all optional, ANDed). */
export interface ArchivedFilter {
  name?: string;
  /** true: not purged yet; false: purged. */
  restorable?: boolean;
  /** Archived at or after this instant. */
  archivedAfter?: Date;
  /** Archived before this instant. */
  archivedBefore?: Date;
}

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
  /** Stores the bytes as they are (no copy), with their checksum (sha256, hex). */
  create(tx: Tx, tenantId: string, d: NewDataset) {
    return tx.dataset.create({
      data: {
        ...d,
        tenantId,
        checksum: contentChecksum(d.content),
        sizeBytes: d.content.length,
        content: d.content as Uint8Array<ArrayBuffer>,
        columns: d.columns as object[],
        imageProfile: d.imageProfile ? (d.imageProfile as unknown as object) : undefined,
      },
      select: summary,
    });
  }

  /** One of the tenant's datasets without its bytes, or null (also when archived). */
  find(tx: Tx, tenantId: string, id: string) {
    return tx.dataset.findFirst({ where: { id, tenantId, ...live }, select: summary });
  }

  /**
   * Locks one of the tenant's datasets for deletion or archive (`FOR UPDATE`, until the transaction
   * ends), so that a batch prediction storing a result with its cells meanwhile either went first
   * (and its copy is then found and removed) or waits and sees it gone ({@link lockLive}).
   * @returns whether a live row was locked.
   */
  async lockForRemoval(tx: Tx, tenantId: string, id: string): Promise<boolean> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Dataset" WHERE id = ${id} AND "tenantId" = ${tenantId} AND "archivedAt" IS NULL FOR UPDATE`;
    return rows.length > 0;
  }

  /**
   * Share-locks one of the tenant's datasets while it is live (not deleted, not archived), until the
   * transaction ends: a deletion or archive waits for the transaction ({@link lockForRemoval}).
   * @returns false when it is deleted or archived (also after waiting for one that commits).
   */
  async lockLive(tx: Tx, tenantId: string, id: string): Promise<boolean> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Dataset" WHERE id = ${id} AND "tenantId" = ${tenantId} AND "archivedAt" IS NULL FOR SHARE`;
    return rows.length > 0;
  }

  /** One of the tenant's datasets without its bytes, archived or not, or null: for lineage. */
  findForLineage(tx: Tx, tenantId: string, id: string) {
    return tx.dataset.findFirst({ where: { id, tenantId }, select: { id: true, name: true, checksum: true, rowCount: true, archivedAt: true } });
  }

  /** One of the tenant's datasets with its bytes, or null (also when archived). */
  findWithContent(tx: Tx, tenantId: string, id: string) {
    return tx.dataset.findFirst({ where: { id, tenantId, ...live } });
  }

  /** The bytes of one of the tenant's live datasets, or null (also when archived). */
  async content(tx: Tx, tenantId: string, id: string): Promise<Uint8Array | null> {
    const row = await tx.dataset.findFirst({ where: { id, tenantId, ...live }, select: { content: true } });
    return row?.content ?? null;
  }

  /** The tenant's live datasets among `ids` (one statement, for DataLoader); others' and archived ids find nothing. */
  findMany(tx: Tx, tenantId: string, ids: readonly string[]) {
    return tx.dataset.findMany({ where: { tenantId, id: { in: [...ids] }, ...live }, select: summary });
  }

  /** One keyset page of the tenant's datasets, newest first (archived ones left out); `name` matches part of the name, any case. */
  page(tx: Tx, tenantId: string, filter: CreatedFilter & { name?: string }, window: PageWindow) {
    const where = {
      tenantId,
      ...live,
      ...(filter.name ? { name: nameContains(filter.name) } : {}),
      ...createdWhere(filter),
    };
    const table = {
      findMany: (args: { where: object; orderBy: object[]; take: number }) => tx.dataset.findMany({ ...args, select: summary }),
      count: (args: { where: object; take?: number }) => tx.dataset.count(args),
    };
    return readPage(table as unknown as PageableTable<DatasetSummary>, where, window);
  }

  /** The tenant's datasets without bytes, newest first (archived ones left out). */
  list(tx: Tx, tenantId: string, take: number) {
    return tx.dataset.findMany({ where: { tenantId, ...live }, select: summary, orderBy: { createdAt: 'desc' }, take });
  }

  /**
   * Archives a dataset: its bytes go (content emptied, sizeBytes 0, so they leave the storage
   * quota); its row, profile, row count and checksum stay for the lineage of the versions it trained.
   * @returns whether a live row was archived.
   */
  async archive(tx: Tx, tenantId: string, id: string, purgeNow: boolean) {
    const now = new Date();
    const data = purgeNow ? { archivedAt: now, ...purged(now) } : { archivedAt: now };
    const { count } = await tx.dataset.updateMany({ where: { id, tenantId, ...live }, data });
    return count > 0;
  }

  /** The tenant's archived datasets, newest archive first, with when each was (or will be) purged. */
  archived(tx: Tx, tenantId: string, take: number) {
    return tx.dataset.findMany({ where: { tenantId, archivedAt: { not: null } }, select: { ...summary, purgedAt: true }, orderBy: [{ archivedAt: 'desc' }, { id: 'asc' }], take });
  }

  /**
   * One keyset page (by archivedAt: pass a window made with the `archivedAt` key) of the tenant's
   * archived datasets, newest archive first, with `purgedAt`. `name` matches part of the name, any
   * case; `restorable` true keeps the unpurged ones, false the purged; the range bounds archivedAt.
   */
  archivedPage(tx: Tx, tenantId: string, filter: ArchivedFilter, window: PageWindow) {
    const where = {
      tenantId,
      archivedAt: { not: null, gte: filter.archivedAfter, lt: filter.archivedBefore },
      ...(filter.name ? { name: nameContains(filter.name) } : {}),
      ...(filter.restorable === undefined ? {} : { purgedAt: filter.restorable ? null : { not: null } }),
    };
    const table = {
      findMany: (args: { where: object; orderBy: object[]; take: number }) => tx.dataset.findMany({ ...args, select: { ...summary, purgedAt: true } }),
      count: (args: { where: object; take?: number }) => tx.dataset.count(args),
    };
    return readPage(table as unknown as PageableTable<DatasetSummary & { purgedAt: Date | null }>, where, window);
  }

  /** Brings back an archived dataset whose rows were not purged. @returns whether a row was restored. */
  async restore(tx: Tx, tenantId: string, id: string) {
    const { count } = await tx.dataset.updateMany({ where: { id, tenantId, archivedAt: { not: null }, purgedAt: null }, data: { archivedAt: null } });
    return count > 0;
  }

  /**
   * Every tenant's archived datasets whose retention ended before `before`, not yet purged (the
   * worker's purge; no tenant filter on purpose), at most `take`.
   */
  expiredArchives(db: Db, before: Date, take: number) {
    return db.dataset.findMany({ where: { archivedAt: { lt: before }, purgedAt: null }, select: { id: true, tenantId: true, name: true, sizeBytes: true }, take });
  }

  /** Empties an archived dataset's rows for good. @returns whether it was still unpurged. */
  async purge(tx: Tx, tenantId: string, id: string) {
    const { count } = await tx.dataset.updateMany({ where: { id, tenantId, archivedAt: { not: null }, purgedAt: null }, data: purged(new Date()) });
    return count > 0;
  }

  /** Sum of the sizes of the tenant's datasets, bytes. */
  async totalBytes(tx: Tx, tenantId: string): Promise<number> {
    const { _sum } = await tx.dataset.aggregate({ where: { tenantId }, _sum: { sizeBytes: true } });
    return _sum.sizeBytes ?? 0;
  }

  /** @returns whether a live row was deleted. */
  async delete(tx: Tx, tenantId: string, id: string) {
    const { count } = await tx.dataset.deleteMany({ where: { id, tenantId, ...live } });
    return count > 0;
  }
}

/** A dataset as listed (no content). */
export type DatasetSummary = Awaited<ReturnType<DatasetRepo['find']>> & object;
