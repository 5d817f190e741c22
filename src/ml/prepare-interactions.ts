/**
 * Interactions data for recommenders: a table of (user, item, rating [, timestamp, …]) rows, e.g.
 * MovieLens' u.data, to model matrices. Ids are read as strings, as uploaded (a numeric column's
 * values as JavaScript prints them: `196`). Rows are split as for tabular data (seeded); the user
 * and item ids of the training split (fitting + validation rows) are indexed in order of first
 * appearance and stored as `id_index` steps of the pipeline, so predict rows `{ user, item }` are
 * read by the same code as every other version's. Each split's x is `[rows, 2]` (user index, item
 * index; -1 for an id the training split does not hold), y the rating.
 */
import { badInput } from '../lib/errors';
import type { Table } from './data/csv';
import { codesFor } from './data/missing';
import type { ColumnChoice, PreparedData, SplitData } from './prepare';
import { resolveColumns } from './prepare';
import { tableValues } from './preprocess/frame';
import { mode } from './preprocess/steps';
import type { FittedColumn, FittedPipeline } from './preprocess/types';
import { splitRows } from './random';
import type { TrainingSpec } from './spec-types';
import { MAX_LABEL_LENGTH, readTarget } from './target';

/** Most distinct users (or items) a run may have: indices are float32 model inputs, exact up to 2^24. */
export const MAX_IDS = 2 ** 24;

/**
 * The feature columns of an interactions run: [user column, item column] from the spec.
 * @throws AppError BAD_USER_INPUT when featureColumns is given and names other columns.
 */
export function interactionFeatures(spec: TrainingSpec, featureColumns?: string[] | null): string[] {
  const { userColumn, itemColumn } = spec.matrixFactorization!;
  if (featureColumns && (featureColumns.length !== 2 || !featureColumns.includes(userColumn) || !featureColumns.includes(itemColumn))) {
    throw badInput(
      `featureColumns of a recommender must be the user and item columns ('${userColumn}', '${itemColumn}') or left out, got ${featureColumns.slice(0, 10).join(', ')}`,
    );
  }
  return [userColumn, itemColumn];
}

/**
 * @throws AppError BAD_USER_INPUT for an unknown column (see resolveColumns), a rating column that
 *   is not numeric, a user or item id missing in some row or longer than MAX_LABEL_LENGTH
 *   characters, or no training rows.
 */
export function prepareInteractions(table: Table, choice: ColumnChoice, spec: TrainingSpec): PreparedData {
  const [userColumn, itemColumn] = resolveColumns(table.columns, { target: choice.target, features: interactionFeatures(spec, choice.features) }).features;
  const rating = readTarget(table, choice.target, { ...spec, task: 'regression' });
  const ids = [userColumn, itemColumn].map((name) => {
    const values = tableValues(table.data[table.columns.indexOf(name)], 'categorical', rating.rows) as (string | null)[];
    const missing = values.indexOf(null);
    if (missing >= 0) throw badInput(`Column '${name}' has no id in row ${rating.rows[missing] + 1}; every rating needs a user and an item`, { column: name });
    return values as string[];
  });
  const n = rating.rows.length;
  const split = splitRows(n, spec.testFraction, spec.validationSplit, spec.seed);
  if (split.train.length === 0) throw badInput('No rows are left for training after the test and validation splits');
  const training = [...split.train, ...split.validation];
  const columns: FittedColumn[] = [userColumn, itemColumn].map((name, j) => {
    const index = new Map<string, number>();
    for (const k of training) if (!index.has(ids[j][k])) index.set(ids[j][k], index.size);
    return {
      name,
      type: 'categorical',
      missingCodes: codesFor(table.missing, name),
      steps: [{ op: 'id_index', ids: [...index.keys()] }],
      outputs: [name],
      reference: mode(training.map((k) => ids[j][k])) ?? null,
    };
  });
  columns.forEach((c, j) => {
    const count = (c.steps[0] as { ids: string[] }).ids.length;
    // Indices travel as float32 model inputs, exact up to 2^24.
    if (count > MAX_IDS) throw badInput(`Column '${c.name}' has ${count} distinct ${j === 0 ? 'users' : 'items'} in the training split; at most ${MAX_IDS} are supported`);
    // An item id is in every recommendation answered, as a class label is in every prediction.
    const long = (c.steps[0] as { ids: string[] }).ids.find((id) => id.length > MAX_LABEL_LENGTH);
    if (long !== undefined) {
      throw badInput(`Column '${c.name}' has an id of ${long.length} characters ('${long.slice(0, 40)}…'); ids may have at most ${MAX_LABEL_LENGTH}`, { column: c.name });
    }
  });
  const indexes = columns.map((c) => new Map((c.steps[0] as { ids: string[] }).ids.map((id, k) => [id, k])));
  const mf = spec.matrixFactorization!;
  const pipeline: FittedPipeline = {
    format: 'maas-pipeline/1',
    columns,
    target: rating.info,
    datasetColumns: table.columns,
    interactions: {
      userColumn,
      itemColumn,
      ratingColumn: choice.target,
      ...(mf.itemMetadata ? { itemMetadata: mf.itemMetadata } : {}),
      ...(mf.userMetadata ? { userMetadata: mf.userMetadata } : {}),
    },
  };
  const take = (rows: number[]): SplitData => {
    const x = new Float32Array(rows.length * 2);
    rows.forEach((k, r) => {
      x[2 * r] = indexes[0].get(ids[0][k]) ?? -1;
      x[2 * r + 1] = indexes[1].get(ids[1][k]) ?? -1;
    });
    return { x, y: Float32Array.from(rows, (k) => rating.y[k]), rows: rows.length };
  };
  return {
    format: 'interactions',
    inputShape: [2],
    pipeline,
    inputNames: [userColumn, itemColumn],
    outputUnits: 1,
    train: take(split.train),
    validation: take(split.validation),
    test: take(split.test),
  };
}
