/**
 * The creation-time filter of the connections (`createdAfter`, `createdBefore`): from the GraphQL
 * arguments (connection.type.ts `CreatedRangeArgs`) to a repository's Prisma `where`.
 */

/** Creation-time bounds of a list: at or after `createdAfter`, before `createdBefore`; undefined where open. */
export interface CreatedFilter {
  createdAfter?: Date;
  createdBefore?: Date;
}

/** The bounds of `range` (GraphQL nulls become open bounds). */
export function createdFilter(range: { createdAfter?: Date | null; createdBefore?: Date | null }): CreatedFilter {
  return { createdAfter: range.createdAfter ?? undefined, createdBefore: range.createdBefore ?? undefined };
}

/** The Prisma `where` fragment of `filter` (spread it into the where): empty when both bounds are open. */
export function createdWhere(filter: CreatedFilter): { createdAt?: { gte?: Date; lt?: Date } } {
  return filter.createdAfter || filter.createdBefore ? { createdAt: { gte: filter.createdAfter, lt: filter.createdBefore } } : {};
}
