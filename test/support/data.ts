/**
 * Data shared by the specs, free of servers and databases (the unit tier uses it too): the Pima
 * diabetes CSV, its rows as feature objects, and the Keras reference program as a spec.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KERAS_SPEC } from '../../src/client/reference-job';

export const PIMA_CSV = fs.readFileSync(path.join(__dirname, '../../data/pima-diabetes.csv'), 'utf8');

/** The Keras reference program, as a spec. */
export { KERAS_SPEC };

/**
 * The reference network with a dropout layer between its two dense layers, for specs that need a
 * run to still be training while they act on it: the dropout keeps it on TF.js (~1 ms a step),
 * where the reference network alone trains in plain JavaScript (src/ml/families/network/js-train.ts)
 * ~100× faster and finishes 1,000 epochs in seconds. `epochs` and `batchSize` are the caller's.
 */
export const SLOW_NETWORK = {
  ...KERAS_SPEC,
  layers: [KERAS_SPEC.layers[0], { type: 'DROPOUT', rate: 0.01 }, KERAS_SPEC.layers[1]],
} as const;

const [header, ...lines] = PIMA_CSV.trim().split('\n');

/** Pima's column names, the 8 features then Outcome. */
export const PIMA_COLUMNS = header.split(',');

/** Every Pima row as `{ feature: number }` over the 8 features (without Outcome). */
export const PIMA_ROWS: Record<string, number>[] = lines.map((l) =>
  Object.fromEntries(
    l
      .split(',')
      .slice(0, 8)
      .map((v, j) => [PIMA_COLUMNS[j], Number(v)]),
  ),
);

/**
 * Pima's rows repeated `times` times (one header): a forest on it takes long enough to observe
 * mid-fit now that the histogram learner fits Pima itself in a fraction of a second.
 */
export function pimaTimes(times: number): string {
  const [header, ...rows] = PIMA_CSV.trim().split('\n');
  return [header, ...Array.from({ length: times }, () => rows).flat()].join('\n');
}
