/** The GraphQL scalar `FeatureMatrix` (see feature-matrix.ts for the shape and its checks). */
import { GraphQLScalarType } from 'graphql';
import { checkJsonValue, jsonLiteral, MAX_JSON_NODES } from '../common/json.scalar';
import { checkFeatureMatrix, type FeatureMatrix } from './feature-matrix';

export type { FeatureMatrix };

export const FeatureMatrixScalar = new GraphQLScalarType<FeatureMatrix, FeatureMatrix>({
  name: 'FeatureMatrix',
  description: 'Bulk rows: { "columns": [name, …], "rows": [[value, …], …] }, one value per column; null = missing.',
  parseValue: (v) => {
    if (!isFlatMatrix(v)) checkJsonValue(v, 'matrix');
    return checkFeatureMatrix(v);
  },
  parseLiteral: (node, variables) => checkFeatureMatrix(jsonLiteral(node, variables, 'matrix')),
  serialize: (v) => v as FeatureMatrix,
});

/**
 * True for the usual bulk value: `{ columns, rows }` and nothing else, each row a list of strings,
 * booleans, nulls and finite numbers, within the node limit. Such a value passes checkJsonValue
 * (depth 3, every number finite), so the generic walk, which allocates per value, is skipped; any
 * other value takes that walk and its exact errors.
 */
function isFlatMatrix(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const m = v as Record<string, unknown>;
  const keys = Object.keys(m);
  if (keys.length !== 2 || !Array.isArray(m.columns) || !Array.isArray(m.rows)) return false;
  const columns = m.columns as unknown[];
  const rows = m.rows as unknown[];
  let nodes = 3 + columns.length + rows.length;
  if (!columns.every((c) => typeof c === 'string')) return false;
  for (const row of rows) {
    if (!Array.isArray(row)) return false;
    nodes += row.length;
    for (const x of row as unknown[]) {
      if (typeof x === 'number') {
        if (!Number.isFinite(x)) return false;
      } else if (x !== null && typeof x === 'object') return false;
    }
  }
  return nodes <= MAX_JSON_NODES;
}
