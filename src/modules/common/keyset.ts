/**
 * Keyset pagination of newest-first lists (Relay's connection arguments over (time, id), the time
 * column being `createdAt`, or `archivedAt` for the archive list): `first`/`after` page towards
 * older rows, `last`/`before` towards newer ones. Both cursors may be given with either size: as the
 * spec's ApplyCursorsToEdges, the rows between them are kept, then the first `first` or the last
 * `last` of those. One more row than asked is read to tell whether another page follows.
 * Reference: the GraphQL Cursor Connections Specification, https://relay.dev/graphql/connections.htm
 */
import { AppError } from '../../lib/errors';
import { decodeCursor, encodeCursor, type CursorKey, type ListTag } from './cursor';

/** Relay's arguments, as sent. */
export interface PageRequest {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** One page of rows and what a Relay client needs to ask for the next. */
export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/** The time column a list is sorted on, newest first, ties broken by id. (Default: createdAt) */
export type SortKey = 'createdAt' | 'archivedAt';

/** The Prisma-shaped parts of one page query: extra `where`, `orderBy`, `take`. */
export interface PageWindow {
  /** The column the list is sorted on (and its cursors hold). */
  key: SortKey;
  /** The list the cursors belong to (cursor.ts). */
  list: ListTag;
  /** The cursors' condition, both bounds (AND it with the list's own filter). */
  where: object;
  orderBy: [Partial<Record<SortKey, 'asc' | 'desc'>>, { id: 'asc' | 'desc' }];
  take: number;
  /** Rows read oldest first (a `last` page): reverse them before answering. */
  backwards: boolean;
  size: number;
  /** `after`'s row: rows at or before it (newer) make `hasPreviousPage`. */
  after?: CursorKey;
  /** `before`'s row: rows at or after it (older) make `hasNextPage`. */
  before?: CursorKey;
}

/** Rows before (older than) `c` in newest-first order of `key`, or after it (newer). */
export const olderThan = (c: CursorKey, key: SortKey = 'createdAt') => ({ OR: [{ [key]: { lt: c.createdAt } }, { [key]: c.createdAt, id: { lt: c.id } }] });
export const newerThan = (c: CursorKey, key: SortKey = 'createdAt') => ({ OR: [{ [key]: { gt: c.createdAt } }, { [key]: c.createdAt, id: { gt: c.id } }] });

/**
 * Checks Relay's arguments and turns them into a page query. `after` and `before` may come
 * together, with `first` or `last`: the page holds the rows between the two cursors, then the
 * first `first` (or the last `last`) of them.
 * @param defaultSize rows when neither `first` nor `last` is given.
 * @param maxSize the most rows a page may have.
 * @param list the list's tag: its cursors carry it, and a cursor of another list is refused.
 * @param key the time column the list is sorted on; its rows must all have it set.
 * @throws AppError BAD_USER_INPUT naming the argument: both `first` and `last`, a size outside
 *   0..maxSize, a malformed cursor or one of another list.
 */
export function pageWindow(args: PageRequest, defaultSize: number, maxSize: number, list: ListTag, key: SortKey = 'createdAt'): PageWindow {
  const { first, after, last, before } = args;
  if (first != null && last != null) throw new AppError('BAD_USER_INPUT', 'Give `first` or `last`, not both', { field: 'last', value: last });
  for (const [field, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (value != null && (!Number.isInteger(value) || value < 0 || value > maxSize)) {
      throw new AppError('BAD_USER_INPUT', `\`${field}\` must be a whole number from 0 to ${maxSize}, not ${value}`, { field, value });
    }
  }
  const afterKey = after != null ? decodeCursor(after, 'after', list) : undefined;
  const beforeKey = before != null ? decodeCursor(before, 'before', list) : undefined;
  // Without a size, `before` alone pages backwards (the rows just before it), anything else forwards.
  const backwards = last != null || (before != null && after == null && first == null);
  const size = (backwards ? last : first) ?? defaultSize;
  const bounds = [...(afterKey ? [olderThan(afterKey, key)] : []), ...(beforeKey ? [newerThan(beforeKey, key)] : [])];
  const direction = backwards ? 'asc' : 'desc';
  return {
    key,
    list,
    where: bounds.length === 0 ? {} : bounds.length === 1 ? bounds[0] : { AND: bounds },
    orderBy: [{ [key]: direction }, { id: direction }],
    take: size + 1,
    backwards,
    size,
    ...(afterKey ? { after: afterKey } : {}),
    ...(beforeKey ? { before: beforeKey } : {}),
  };
}

/** A row a page can hold: its id and the list's sort column. */
export type KeyedRow = { id: string } & Partial<Record<SortKey, Date | null>>;

/** A row's value of the sort column. @throws Error when it is not set (the list's `where` must exclude such rows). */
function sortTime(row: KeyedRow, key: SortKey): Date {
  const at = row[key];
  if (!at) throw new Error(`Row '${row.id}' has no ${key}: it cannot be placed in a list sorted on it`);
  return at;
}

/** Whether rows of the list lie outside the cursors: at or newer than `after`, at or older than `before`. */
export interface BeyondCursors {
  /** Rows at `after` or before it in the list (newer): there is a previous page. */
  pastAfter: boolean;
  /** Rows at `before` or after it in the list (older): there is a next page. */
  pastBefore: boolean;
}

/**
 * Builds the connection from the rows read with `window` (up to size + 1 of them), the list's
 * total, and whether rows lie beyond its cursors. As the spec's HasNextPage / HasPreviousPage:
 * a next page when `first` left rows out or rows follow `before`; a previous page when `last` left
 * rows out or rows precede `after`.
 */
export function toPage<T extends KeyedRow>(rows: T[], window: PageWindow, totalCount: number, beyond: BeyondCursors): Page<T> {
  const more = rows.length > window.size;
  const kept = rows.slice(0, window.size);
  if (window.backwards) kept.reverse();
  const edges = kept.map((node) => ({ cursor: encodeCursor({ createdAt: sortTime(node, window.key), id: node.id }, window.list), node }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: (!window.backwards && more) || beyond.pastBefore,
      hasPreviousPage: (window.backwards && more) || beyond.pastAfter,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
