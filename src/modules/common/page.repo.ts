/**
 * Reads one keyset page (keyset.ts) of any table with `id` and the window's sort column (`createdAt`
 * unless the window says otherwise), inside the caller's
 * tenant transaction: the page (size + 1 rows), the filtered total, and, for each cursor given,
 * whether rows lie on its other side. Four statements at most (three with one cursor), whatever the
 * page size.
 */
import { newerThan, olderThan, toPage, type KeyedRow, type Page, type PageWindow } from './keyset';

/** The part of a Prisma model delegate a page needs. */
export interface PageableTable<T> {
  findMany(args: { where: object; orderBy: object[]; take: number }): Promise<T[]>;
  count(args: { where: object; take?: number }): Promise<number>;
}

/**
 * One page of `table` under `where` (which must hold the tenant).
 * @returns the connection: edges newest first, pageInfo, totalCount (rows matching `where`).
 */
export async function readPage<T extends KeyedRow>(table: PageableTable<T>, where: object, window: PageWindow): Promise<Page<T>> {
  const rows = await table.findMany({ where: { AND: [where, window.where] }, orderBy: window.orderBy, take: window.take });
  const totalCount = await table.count({ where });
  // Rows on each cursor's own side: it, or newer, for `after`; it, or older, for `before`.
  const any = async (side: object) => (await table.count({ where: { AND: [where, side] }, take: 1 })) > 0;
  const pastAfter = window.after ? await any({ NOT: olderThan(window.after, window.key) }) : false;
  const pastBefore = window.before ? await any({ NOT: newerThan(window.before, window.key) }) : false;
  return toPage(rows, window, totalCount, { pastAfter, pastBefore });
}
