/**
 * Matrix-factorisation bench: the MATRIX_FACTORIZATION family's SGD epoch (./src/ml/families/
 * matrix-factorization/sgd.ts) in ratings/s on MovieLens 100k, next to an anchor: the same update
 * rules as a numpy loop over the ratings (one Python step per rating, numpy for the K-vectors), the
 * straightforward implementation one would write in Python. Run: `npm run bench:mf`, or call
 * runMfBench() (npm run bench does).
 *
 * MovieLens is read from its path (MAAS_DATA_DIR or ../shared/data; never committed); without it,
 * or without numpy (`apt-get install python3-numpy`), the table says so.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sharedDataDir } from '../src/lib/paths';
import { initialModel, meanSquaredError, sgdEpoch, type Ratings } from '../src/ml/families/matrix-factorization/sgd';
import { rng, splitRows } from '../src/ml/random';

const PYTHON = '/usr/bin/python3';
const PARAMS = { factors: 50, learningRate: 0.01, regularization: 0.08, seed: 42 };
const OUR_EPOCHS = 20;
const NUMPY_EPOCHS = 3;

/** The numpy anchor: reads int32 users/items and float32 ratings, runs the same SGD, prints seconds per epoch as JSON. */
const NUMPY_SGD = `
import json, sys, time, numpy as np
d, epochs, K, lr, reg = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
u = np.fromfile(d + '/u.bin', dtype='<i4'); i = np.fromfile(d + '/i.bin', dtype='<i4'); r = np.fromfile(d + '/r.bin', dtype='<f4').astype(np.float64)
nu, ni, mu = int(u.max()) + 1, int(i.max()) + 1, float(r.mean())
rs = np.random.RandomState(42)
P = rs.normal(0, 0.1, (nu, K)); Q = rs.normal(0, 0.1, (ni, K)); bu = np.zeros(nu); bi = np.zeros(ni)
times = []
for e in range(epochs):
    t = time.perf_counter()
    for n in rs.permutation(len(r)):
        a, b = u[n], i[n]
        pa, qb = P[a], Q[b]
        err = r[n] - (mu + bu[a] + bi[b] + pa.dot(qb))
        bu[a] += lr * (err - reg * bu[a]); bi[b] += lr * (err - reg * bi[b])
        P[a] = pa + lr * (err * qb - reg * pa); Q[b] = qb + lr * (err * pa - reg * qb)
    times.append(time.perf_counter() - t)
print(json.dumps({'secondsPerEpoch': sorted(times)[len(times) // 2]}))
`;

/** The 80/20 split's training ratings (ids indexed in order of appearance) and the test ratings. */
function movielens(file: string): { train: Ratings; test: Ratings; users: number; items: number } {
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  const split = splitRows(lines.length, 0.2, 0, 42);
  const fields = lines.map((l) => l.split('\t'));
  const users = new Map<string, number>();
  const items = new Map<string, number>();
  for (const k of split.train) {
    if (!users.has(fields[k][0])) users.set(fields[k][0], users.size);
    if (!items.has(fields[k][1])) items.set(fields[k][1], items.size);
  }
  const take = (rows: number[]): Ratings => {
    const kept = rows.filter((k) => users.has(fields[k][0]) && items.has(fields[k][1]));
    return {
      users: Int32Array.from(kept, (k) => users.get(fields[k][0])!),
      items: Int32Array.from(kept, (k) => items.get(fields[k][1])!),
      values: Float32Array.from(kept, (k) => Number(fields[k][2])),
      count: kept.length,
    };
  };
  return { train: take(split.train), test: take(split.test), users: users.size, items: items.size };
}

function numpyAnchor(train: Ratings): { ratingsPerSecond: number } | string {
  if (spawnSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' }).status !== 0) return 'numpy not installed (apt-get install python3-numpy)';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mf-bench-'));
  try {
    fs.writeFileSync(path.join(dir, 'u.bin'), new Uint8Array(train.users.buffer));
    fs.writeFileSync(path.join(dir, 'i.bin'), new Uint8Array(train.items.buffer));
    fs.writeFileSync(path.join(dir, 'r.bin'), new Uint8Array(train.values.buffer));
    fs.writeFileSync(path.join(dir, 'sgd.py'), NUMPY_SGD);
    const args = [path.join(dir, 'sgd.py'), dir, String(NUMPY_EPOCHS), String(PARAMS.factors), String(PARAMS.learningRate), String(PARAMS.regularization)];
    const r = spawnSync(PYTHON, args, { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
    if (r.status !== 0) return `numpy anchor failed: ${r.stderr.slice(-300)}`;
    return { ratingsPerSecond: train.count / JSON.parse(r.stdout).secondsPerEpoch };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Trains OUR_EPOCHS epochs and times each; runs the numpy anchor when it can.
 * @returns the table as Markdown lines.
 */
export async function runMfBench(): Promise<string[]> {
  const dir = sharedDataDir();
  const file = dir && path.join(dir, 'movielens-100k', 'u.data');
  if (!file || !fs.existsSync(file)) return [`MovieLens 100k not found (${file ?? 'no shared data folder'}): set MAAS_DATA_DIR; matrix-factorisation bench skipped`];
  const { train, test, users, items } = movielens(file);
  const m = initialModel(train, users, items, PARAMS);
  const random = rng(PARAMS.seed + 1);
  const perEpoch: number[] = [];
  for (let e = 0; e < OUR_EPOCHS; e++) {
    const started = performance.now();
    sgdEpoch(m, train, PARAMS, random);
    perEpoch.push((performance.now() - started) / 1000);
  }
  const median = [...perEpoch].sort((a, b) => a - b)[Math.floor(perEpoch.length / 2)];
  const ours = train.count / median;
  const rmse = Math.sqrt(meanSquaredError(m, test));
  const anchor = numpyAnchor(train);
  const anchorCell = typeof anchor === 'string' ? anchor : `${Math.round(anchor.ratingsPerSecond).toLocaleString('en')} ratings/s (median of ${NUMPY_EPOCHS} epochs)`;
  return [
    `MovieLens 100k, random 80/20 split: ${train.count.toLocaleString('en')} training ratings, K ${PARAMS.factors}, γ ${PARAMS.learningRate}, λ ${PARAMS.regularization}, one thread (${os.cpus().length} cores shared)`,
    '',
    '| implementation | speed per epoch | ratio | quality |',
    '|---|---|---|---|',
    `| ours (plain TypeScript SGD, Float32Array) | ${Math.round(ours).toLocaleString('en')} ratings/s (median of ${OUR_EPOCHS} epochs, ${(median * 1000).toFixed(0)} ms an epoch) | 1× | test RMSE ${rmse.toFixed(4)} after ${OUR_EPOCHS} epochs (no early stopping) |`,
    `| anchor: numpy SGD loop, same updates (Python step per rating) | ${anchorCell} | ${typeof anchor === 'string' ? '–' : `ours is ${(ours / anchor.ratingsPerSecond).toFixed(1)}× faster`} | (same algorithm) |`,
    '',
    "The anchor is interpreted Python; a compiled one (Surprise's Cython `SVD`) is not in Debian's packages, so none is measured here.",
  ];
}

if (require.main === module) {
  runMfBench().then(
    (lines) => console.log(lines.join('\n')),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
