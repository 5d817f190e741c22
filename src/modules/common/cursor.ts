/**
 * Opaque, stable list cursors: a row's place in one list sorted newest first, by (createdAt, id) — or
 * by (archivedAt, id) for the archive list, whose sort time the cursor then holds.
 * Encoded as base64url of `c2:<list>:<sort time ms>:<id>`: a keyset position, not an offset, so
 * pages stay right while rows are added, and the same row always has the same cursor in its list.
 * `<list>` names the list the cursor was taken from (`runs`, `datasets`, …; a list nested under one
 * object adds its id: `versions@<model id>`), so a cursor of another list is refused instead of
 * being read as a position in this one. A cursor only says where to start: lists still filter by
 * the caller's tenant, so a cursor taken from another tenant's list shows nothing of that tenant.
 */
import { AppError, quote } from '../../lib/errors';

/** Where a row sits in a newest-first list. */
export interface CursorKey {
  /** The row's sort time: createdAt, or the list's own sort column (keyset.ts `SortKey`). */
  createdAt: Date;
  id: string;
}

/**
 * The list a cursor belongs to: a lower-case name (`runs`), and for a list nested under one object
 * (a model's versions, a version's evaluations) `@` and that object's id.
 */
export type ListTag = string;

const PREFIX = 'c2';
const TAG = /^[a-z][a-z-]{0,39}(@[0-9a-f-]{36})?$/;
const CURSOR = /^c2:([a-z][a-z-]{0,39}(?:@[0-9a-f-]{36})?):(\d{1,15}):([0-9a-f-]{36})$/;

/** The tag of a list nested under the object `parentId` (e.g. `nestedList('versions', modelId)`). */
export const nestedList = (name: string, parentId: string): ListTag => `${name}@${parentId}`;

/** The list's name without its parent, for messages (`versions@<id>` → `versions`). */
const listName = (tag: ListTag) => tag.split('@')[0];

/**
 * The cursor of a row in `list`.
 * @throws Error when `list` is not a tag (a programming error, never the caller's).
 */
export function encodeCursor(row: CursorKey, list: ListTag): string {
  if (!TAG.test(list)) throw new Error(`Not a list tag: '${list}'`);
  return Buffer.from(`${PREFIX}:${list}:${row.createdAt.getTime()}:${row.id}`, 'utf8').toString('base64url');
}

/**
 * Reads a cursor given as the argument `field` (`after` or `before`) of the list `list`.
 * @throws AppError BAD_USER_INPUT naming the argument and the value when it is not a cursor of ours
 *   (`details.field`, `details.value`), or is one of another list (`details.list`: this list's name).
 */
export function decodeCursor(cursor: string, field: 'after' | 'before', list: ListTag): CursorKey {
  const refuse = () =>
    new AppError('BAD_USER_INPUT', `\`${field}\` is not a cursor from this API: ${quote(cursor)} (use an edge's \`cursor\` or \`pageInfo.endCursor\` as given)`, {
      field,
      value: cursor,
    });
  if (!/^[A-Za-z0-9_-]{1,300}$/.test(cursor)) throw refuse();
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw refuse();
  if (match[1] !== list) {
    const [theirs, ours] = [listName(match[1]), listName(list)];
    const where = theirs === ours ? `another ${ours} list (of another object)` : `the ${theirs} list`;
    throw new AppError('BAD_USER_INPUT', `\`${field}\` is a cursor of ${where}, not of this ${ours} list: ${quote(cursor)} (use a cursor this list returned)`, {
      field,
      value: cursor,
      list: ours,
    });
  }
  const createdAt = new Date(Number(match[2]));
  if (Number.isNaN(createdAt.getTime())) throw refuse();
  return { createdAt, id: match[3] };
}
