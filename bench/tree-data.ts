/**
 * Model matrices for the tree bench and tests, built with the project's own pipeline (parseCsv,
 * readTarget, the default preprocessing: impute, one-hot; no standardising for trees).
 * - Adult: data/adult-train.csv (32,561 rows) fits the pipeline and trains; the official
 *   data/adult-test.csv (16,281 rows) is the test split (labels `>50K.` read as `>50K`).
 * - California housing and iris: prepareData's seeded 80/20 split (iris stratified).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseCsv, type Table } from '../src/ml/data/csv';
import { inferType } from '../src/ml/data/infer-type';
import { codesFor } from '../src/ml/data/missing';
import { fitColumn, transformValues } from '../src/ml/preprocess/fit';
import { tableValues } from '../src/ml/preprocess/frame';
import { defaultSteps, planPipeline } from '../src/ml/preprocess/plan';
import { prepareData, type SplitData } from '../src/ml/prepare';
import { projectRoot } from '../src/lib/paths';
import { normalizeSpec, type TrainingSpec } from '../src/ml/spec';
import { readTarget } from '../src/ml/target';

export const ADULT_HEADER =
  'age,workclass,fnlwgt,education,education-num,marital-status,occupation,relationship,race,sex,capital-gain,capital-loss,hours-per-week,native-country,income';

export interface TreeDataset {
  name: string;
  task: 'binary' | 'multiclass' | 'regression';
  classCount?: number;
  inputs: number;
  train: SplitData;
  test: SplitData;
}

const dataFile = (f: string) => fs.readFileSync(path.join(projectRoot(), 'data', f), 'utf8').trim();

/** Fits the default pipeline on table rows [0, trainRows) and applies it to all rows. */
function fixedSplit(table: Table, target: string, spec: TrainingSpec, trainRows: number): { train: SplitData; test: SplitData; classes: number; inputs: number } {
  const t = readTarget(table, target, spec);
  const names = table.columns.filter((c) => c !== target);
  const columns = names.map((name) => ({ name, data: table.data[table.columns.indexOf(name)] }));
  const planned = planPipeline(
    columns.map((c) => ({ name: c.name, type: inferType(c.data) })),
    defaultSteps(false),
  );
  const trainIdx = t.rows.filter((r) => r < trainRows);
  const fitted = planned.map((p, j) => fitColumn(p, tableValues(columns[j].data, p.type, trainIdx), codesFor(table.missing, p.name)));
  const take = (pick: (r: number) => boolean): SplitData => {
    const kept = Array.from(t.rows.keys()).filter((k) => pick(t.rows[k]));
    const rows = Int32Array.from(kept, (k) => t.rows[k]);
    const values = fitted.map((c, j) => tableValues(columns[j].data, c.type, rows));
    return { x: transformValues(fitted, values, rows.length), y: Float32Array.from(kept, (k) => t.y[k]), rows: rows.length };
  };
  const train = take((r) => r < trainRows);
  return { train, test: take((r) => r >= trainRows), classes: t.info.classes?.length ?? 0, inputs: train.x.length / train.rows };
}

/** UCI Adult: official train → official test, ~105 one-hot inputs. */
export function adult(): TreeDataset {
  const train = dataFile('adult-train.csv');
  const csv = [ADULT_HEADER, train, dataFile('adult-test.csv')].join('\n');
  const table = parseCsv(csv, { missingValues: [{ values: ['?'] }] });
  const spec = normalizeSpec({ model: 'decision_tree', preprocessing: { labelSuffix: '.' } });
  const s = fixedSplit(table, 'income', spec, train.split('\n').length);
  return { name: 'adult', task: 'binary', classCount: 2, inputs: s.inputs, train: s.train, test: s.test };
}

function split(file: string, target: string, task: TreeDataset['task'], stratify: boolean): TreeDataset {
  const table = parseCsv(dataFile(file));
  const spec = normalizeSpec({ model: 'decision_tree', task, testFraction: 0.2, stratify, seed: 42 });
  const d = prepareData(table, { target }, spec);
  return {
    name: file.replace('.csv', ''),
    task,
    ...(task !== 'regression' ? { classCount: d.pipeline.target.classes!.length } : {}),
    inputs: d.inputNames.length,
    train: d.train,
    test: d.test,
  };
}

/** California housing, 80/20 (seed 42); target median_house_value in dollars. */
export const california = () => split('california-housing.csv', 'median_house_value', 'regression', false);

/** Iris, stratified 80/20 (seed 42). */
export const iris = () => split('iris.csv', 'species', 'multiclass', true);
