/**
 * `FeatureMatrix`: the fast input shape for bulk predictions. One JSON value
 * `{ "columns": ["Glucose", "BMI", …], "rows": [[148, 33.6, …], …] }` instead of a list of input
 * objects: graphql-js coerces a custom scalar once, not field by field, which is what made
 * `rows: [JSONObject!]!` slow for 1,000-row requests. Shape is checked here; values are read by
 * the model's pipeline exactly like rows keyed by column. The GraphQL scalar is in
 * feature-matrix.scalar.ts.
 */
import { badInput } from '../../lib/errors';

export interface FeatureMatrix {
  columns: string[];
  rows: unknown[][];
}

/**
 * Checks the shape of a matrix value.
 * @throws AppError BAD_USER_INPUT naming the first problem (not an object, no or repeated column
 *   names, a row of the wrong width).
 */
export function checkFeatureMatrix(value: unknown): FeatureMatrix {
  const m = value as Partial<FeatureMatrix> | null;
  if (!m || typeof m !== 'object' || !Array.isArray(m.columns) || !Array.isArray(m.rows)) {
    throw badInput('matrix must be an object { columns: [String], rows: [[value]] }');
  }
  if (m.columns.length === 0 || m.columns.some((c) => typeof c !== 'string')) throw badInput('matrix.columns must be a non-empty list of column names');
  if (new Set(m.columns).size !== m.columns.length) throw badInput('matrix.columns names a column twice');
  const width = m.columns.length;
  m.rows.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== width) {
      throw badInput(`matrix.rows[${i}] must be a list of ${width} values (one per column), got ${Array.isArray(r) ? r.length : typeof r}`);
    }
  });
  return m as FeatureMatrix;
}
