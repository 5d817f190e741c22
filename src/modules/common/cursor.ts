/**
 * Opaque, stable list cursors: a row's place in a list sorted newest first, by (createdAt, id) — or
 * by (archivedAt, id) for the archive list, whose sort time the cursor then holds.
 * Encoded as base64url of `c1:<createdAt ms>:<id>`: a keyset position, not an offset, so pages stay
 * right while rows are added. A cursor only says where to start: lists still filter by the caller's
 * tenant, so a cursor taken from another tenant's list shows nothing of that tenant.
 */
import { AppError, quote } from '../../lib/errors';

/** Where a row sits in a newest-first list. */
export interface CursorKey {
  /** The row's sort time: createdAt, or the list's own sort column (keyset.ts `SortKey`). */
  createdAt: Date;
  id: string;
}

const PREFIX = 'c1';

/** The cursor of a row. */
export function encodeCursor(row: CursorKey): string {
  return Buffer.from(`${PREFIX}:${row.createdAt.getTime()}:${row.id}`, 'utf8').toString('base64url');
}

/**
 * Reads a cursor given as the argument `field` (`after` or `before`).
 * @throws AppError BAD_USER_INPUT naming the argument and the value when it is not a cursor of ours.
 */
export function decodeCursor(cursor: string, field: 'after' | 'before'): CursorKey {
  const refuse = () =>
    new AppError('BAD_USER_INPUT', `\`${field}\` is not a cursor from this API: ${quote(cursor)} (use an edge's \`cursor\` or \`pageInfo.endCursor\` as given)`, {
      field,
      value: cursor,
    });
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw refuse();
  const match = /^c1:(\d{1,15}):([0-9a-f-]{36})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw refuse();
  const createdAt = new Date(Number(match[1]));
  if (Number.isNaN(createdAt.getTime())) throw refuse();
  return { createdAt, id: match[2] };
}
