/**
 * The `name` filter of the connections (case-insensitive "contains"). Prisma's `contains` becomes
 * `ILIKE '%' || value || '%'` without escaping the value's own wildcards, so `m_ist` matched
 * `mnist` and `%` matched every row: `%`, `_` and `\` are escaped here (PostgreSQL's default LIKE
 * escape character is `\`).
 */

/** `value` with LIKE's wildcards and escape character escaped. */
export const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The Prisma `where` fragment of a name filter, or nothing when there is none. */
export function nameContains(name: string | null | undefined): { contains: string; mode: 'insensitive' } | undefined {
  return name ? { contains: escapeLike(name), mode: 'insensitive' } : undefined;
}
