/**
 * Tree bench: our histogram learner against scikit-learn on the same matrices (one thread each).
 * Run: `npx tsc -p tsconfig.build.json && node dist/bench/trees.js`, or call runTreeBench().
 *
 * scikit-learn runs when /usr/bin/python3 imports it (`apt-get install python3-sklearn`); the
 * matrices go to a temporary folder as raw little-endian float32 and a small script fits
 * HistGradientBoosting / RandomForest / DecisionTree with the same settings as ours
 * (early stopping off). Anchors (docs: /work/shared/notes/anchors.md): sklearn HGB on Adult
 * 0.874 accuracy / 0.927 AUC in 2.6 s, RandomForest 0.852 / 0.900 in 3.2 s.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rocAuc } from '../src/ml/evaluate';
import { fitHist, histDefaults, scoreHist, type HistParams } from '../src/ml/trees/hist';
import { adult, california, iris, type TreeDataset } from './tree-data';

const PYTHON = '/usr/bin/python3';

interface Case {
  label: string;
  data: TreeDataset;
  params: HistParams;
  /** scikit-learn estimator expression (numpy as np, sklearn.ensemble / tree imported). */
  sklearn: string;
}

interface Result {
  seconds: number;
  /** accuracy (classification) or R² (regression) */
  score: number;
  auc?: number;
}

/** Accuracy, ROC AUC (binary) or R² from outputs in our layout (probabilities / values). */
export function quality(d: TreeDataset, out: Float32Array): { score: number; auc?: number } {
  const { y, rows } = d.test;
  if (d.task === 'regression') {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += y[i] / rows;
    let ss = 0;
    let st = 0;
    for (let i = 0; i < rows; i++) [ss, st] = [ss + (out[i] - y[i]) ** 2, st + (y[i] - mean) ** 2];
    return { score: 1 - ss / st };
  }
  let correct = 0;
  if (d.task === 'binary') {
    for (let i = 0; i < rows; i++) if ((out[i] > 0.5 ? 1 : 0) === y[i]) correct++;
    return { score: correct / rows, auc: rocAuc(out, y) };
  }
  const k = d.classCount!;
  for (let i = 0; i < rows; i++) {
    let arg = 0;
    for (let c = 1; c < k; c++) if (out[i * k + c] > out[i * k + arg]) arg = c;
    if (arg === y[i]) correct++;
  }
  return { score: correct / rows };
}

function ours(c: Case): Result {
  const t0 = performance.now();
  const model = fitHist(c.data.train.x, c.data.train.y, c.data.train.rows, c.data.inputs, c.params);
  const out = scoreHist(model, c.data.test.x, c.data.test.rows);
  return { seconds: (performance.now() - t0) / 1000, ...quality(c.data, out) };
}

const SCRIPT = `
import json, sys, time, numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor, RandomForestClassifier, RandomForestRegressor
from sklearn.tree import DecisionTreeClassifier
from sklearn.metrics import roc_auc_score, r2_score
d = sys.argv[1]
m = json.load(open(d + '/meta.json'))
def load(n, shape): return np.fromfile(d + '/' + n, dtype='<f4').reshape(shape)
xtr = load('xtr', (m['train'], m['inputs'])); ytr = load('ytr', (m['train'],))
xte = load('xte', (m['test'], m['inputs'])); yte = load('yte', (m['test'],))
est = eval(m['estimator'])
t0 = time.perf_counter(); est.fit(xtr, ytr)
if m['task'] == 'regression':
    p = est.predict(xte); r = {'score': r2_score(yte, p)}
else:
    pr = est.predict_proba(xte); r = {'score': float((pr.argmax(1) == yte).mean())}
    if m['task'] == 'binary': r['auc'] = roc_auc_score(yte, pr[:, 1])
r['seconds'] = time.perf_counter() - t0
print(json.dumps(r))
`;

/** True when /usr/bin/python3 can import scikit-learn. */
export function hasSklearn(): boolean {
  if (!fs.existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ['-c', 'import sklearn, numpy'], { stdio: 'ignore' }).status === 0;
}

function sklearn(c: Case, dir: string): Result {
  const d = c.data;
  const write = (n: string, a: Float32Array) => fs.writeFileSync(path.join(dir, n), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  write('xtr', d.train.x);
  write('ytr', d.train.y);
  write('xte', d.test.x);
  write('yte', d.test.y);
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ train: d.train.rows, test: d.test.rows, inputs: d.inputs, task: d.task, estimator: c.sklearn }));
  fs.writeFileSync(path.join(dir, 'fit.py'), SCRIPT);
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  const r = spawnSync(PYTHON, [path.join(dir, 'fit.py'), dir], { env, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`scikit-learn failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Result;
}

function cases(): Case[] {
  const a = adult();
  const cal = california();
  const ir = iris();
  const gbt = (d: TreeDataset) => ({ ...histDefaults('gradient_boosting', d.task, d.inputs, d.classCount), nEstimators: 100 });
  // Same per-split inputs as scikit-learn's max_features='sqrt' (our regression default is a third).
  const rf = (d: TreeDataset) => ({ ...histDefaults('random_forest', d.task, d.inputs, d.classCount), maxFeatures: Math.floor(Math.sqrt(d.inputs)) / d.inputs });
  const hgb = (cls: string) => `${cls}(max_iter=100, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20, early_stopping=False, random_state=42)`;
  const forest = (cls: string) => `${cls}(n_estimators=100, max_features='sqrt', n_jobs=1, random_state=42)`;
  return [
    { label: 'Adult GBT 100 rounds', data: a, params: gbt(a), sklearn: hgb('HistGradientBoostingClassifier') },
    { label: 'Adult RF 100 trees', data: a, params: rf(a), sklearn: forest('RandomForestClassifier') },
    { label: 'California GBT 100 rounds', data: cal, params: gbt(cal), sklearn: hgb('HistGradientBoostingRegressor') },
    { label: 'California RF 100 trees', data: cal, params: rf(cal), sklearn: forest('RandomForestRegressor') },
    {
      label: 'Iris decision tree',
      data: ir,
      params: histDefaults('decision_tree', ir.task, ir.inputs, ir.classCount),
      sklearn: 'DecisionTreeClassifier(max_depth=10, random_state=42)',
    },
  ];
}

const metric = (d: TreeDataset, r: Result) =>
  d.task === 'regression' ? `R² ${r.score.toFixed(4)}` : `acc ${r.score.toFixed(4)}${r.auc !== undefined ? ` AUC ${r.auc.toFixed(4)}` : ''}`;

/**
 * Runs every case with our learner and, when available, scikit-learn.
 * @returns the table as Markdown lines (also printed when run as a script).
 */
export async function runTreeBench(): Promise<string[]> {
  const withSklearn = hasSklearn();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tree-bench-'));
  const lines = [
    `Tree bench (${os.cpus().length} cores, one thread each; ours = fit + score of the test split)${withSklearn ? '' : ' — sklearn not installed'}`,
    '',
    '| model | ours time | sklearn time | ratio | ours quality | sklearn quality |',
    '|---|---|---|---|---|---|',
  ];
  try {
    for (const c of cases()) {
      const o = ours(c);
      const s = withSklearn ? sklearn(c, dir) : undefined;
      const ratio = s ? `${(o.seconds / s.seconds).toFixed(2)}×` : '–';
      lines.push(
        `| ${c.label} | ${o.seconds.toFixed(2)} s | ${s ? `${s.seconds.toFixed(2)} s` : 'n/a'} | ${ratio} | ${metric(c.data, o)} | ${s ? metric(c.data, s) : 'sklearn not installed'} |`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

if (require.main === module) {
  runTreeBench().then(
    (lines) => console.log(lines.join('\n')),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
