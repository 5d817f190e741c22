/**
 * Histogram tree learner (src/ml/trees/hist): pure, small synthetic data and iris.
 * Full-data quality (Adult, California) is measured by bench/trees.ts.
 */
import { AppError } from '../../src/lib/errors';
import { binData } from '../../src/ml/trees/hist/bin';
import { buildClassHistogram, buildGradHistogram, GRAD_STRIDE, subtractHistogram } from '../../src/ml/trees/hist/histogram';
import { decodeHistModel, encodeHistModel, fitHist, histDefaults, scoreHist, type HistParams, type RoundProgress } from '../../src/ml/trees/hist';
import { rng } from '../../src/ml/random';
import { iris } from '../../bench/tree-data';

/** rows × inputs uniform in [0, 1); binary label from a noisy nonlinear rule. */
function synthetic(rows: number, inputs: number, seed: number) {
  const r = rng(seed);
  const x = new Float32Array(rows * inputs);
  const y = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < inputs; j++) x[i * inputs + j] = r();
    const a = x[i * inputs];
    const b = x[i * inputs + 1];
    y[i] = (a > 0.5 !== b > 0.3 ? 1 : 0) ^ (r() < 0.05 ? 1 : 0);
  }
  return { x, y, rows, inputs };
}

const accuracy = (out: Float32Array, y: Float32Array) => out.reduce((s, p, i) => s + ((p > 0.5 ? 1 : 0) === y[i] ? 1 : 0), 0) / y.length;

const gbt = (over: Partial<HistParams> = {}): HistParams => ({ ...histDefaults('gradient_boosting', 'binary', 4, 2), nEstimators: 30, ...over });

describe('histogram trees', () => {
  const train = synthetic(2000, 4, 1);
  const test = synthetic(1000, 4, 2);

  it('gradient boosting beats the constant model', () => {
    const m = fitHist(train.x, train.y, train.rows, 4, gbt());
    const prior = train.y.reduce((a, b) => a + b, 0) / train.rows;
    const constant = Math.max(prior, 1 - prior);
    expect(accuracy(scoreHist(m, test.x, test.rows), test.y)).toBeGreaterThan(constant + 0.2);
    expect(m.rounds).toBe(30);
    expect(m.gainImportances.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    // The two informative inputs carry almost all the gain.
    expect(m.gainImportances[0] + m.gainImportances[1]).toBeGreaterThan(0.9);
  });

  it('random forest and regression boosting learn', () => {
    const rf = fitHist(train.x, train.y, train.rows, 4, { ...histDefaults('random_forest', 'binary', 4, 2), nEstimators: 20 });
    expect(accuracy(scoreHist(rf, test.x, test.rows), test.y)).toBeGreaterThan(0.85);
    const yr = Float32Array.from({ length: train.rows }, (_, i) => 3 * train.x[i * 4] + Math.sin(6 * train.x[i * 4 + 1]));
    const reg = fitHist(train.x, yr, train.rows, 4, { ...histDefaults('gradient_boosting', 'regression', 4), nEstimators: 50 });
    const pred = scoreHist(reg, train.x, train.rows);
    const mse = pred.reduce((s, p, i) => s + (p - yr[i]) ** 2, 0) / train.rows;
    expect(mse).toBeLessThan(0.02);
  });

  it('a decision tree reaches >= 0.93 on iris', () => {
    const d = iris();
    const m = fitHist(d.train.x, d.train.y, d.train.rows, d.inputs, histDefaults('decision_tree', 'multiclass', d.inputs, 3));
    const out = scoreHist(m, d.test.x, d.test.rows);
    let correct = 0;
    for (let i = 0; i < d.test.rows; i++) {
      const row = Array.from(out.subarray(i * 3, i * 3 + 3));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      if (row.indexOf(Math.max(...row)) === d.test.y[i]) correct++;
    }
    expect(correct / d.test.rows).toBeGreaterThanOrEqual(0.93);
  });

  it('learns where missing values go (NaN means class 1)', () => {
    const rows = 1000;
    const r = rng(3);
    const x = new Float32Array(rows * 2);
    const y = new Float32Array(rows);
    for (let i = 0; i < rows; i++) {
      x[i * 2 + 1] = r();
      const missing = r() < 0.3;
      x[i * 2] = missing ? NaN : r();
      y[i] = missing ? 1 : 0;
    }
    for (const kind of ['decision_tree', 'gradient_boosting'] as const) {
      const m = fitHist(x, y, rows, 2, { ...histDefaults(kind, 'binary', 2, 2), nEstimators: kind === 'decision_tree' ? 1 : 20 });
      const out = scoreHist(m, Float32Array.of(NaN, 0.5, 0.7, 0.5, 0.1, 0.5), 3);
      expect(out[0]).toBeGreaterThan(0.9);
      expect(out[1]).toBeLessThan(0.1);
      expect(out[2]).toBeLessThan(0.1);
    }
  });

  it('encode → decode → score gives identical outputs; a broken artifact is BAD_USER_INPUT', () => {
    const d = iris();
    for (const kind of ['decision_tree', 'random_forest', 'gradient_boosting'] as const) {
      const m = fitHist(d.train.x, d.train.y, d.train.rows, d.inputs, { ...histDefaults(kind, 'multiclass', d.inputs, 3), nEstimators: kind === 'decision_tree' ? 1 : 10 });
      const { topology, weights } = encodeHistModel(m);
      const back = decodeHistModel(JSON.parse(JSON.stringify(topology)), new Uint8Array(weights));
      expect(scoreHist(back, d.test.x, d.test.rows)).toEqual(scoreHist(m, d.test.x, d.test.rows));
      expect(() => decodeHistModel(topology, weights.subarray(1))).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
      expect(() => decodeHistModel({ ...topology, format: 'x' }, weights)).toThrow(AppError);
    }
    const m = fitHist(train.x, train.y, train.rows, 4, gbt({ nEstimators: 3 }));
    const { topology, weights } = encodeHistModel(m);
    const bad = Buffer.from(weights);
    const total = (topology.nodes as number[]).reduce((a, b) => a + b, 0);
    bad.writeInt32LE(0, total * 4); // left child of tree 0's root (after every feature) -> itself
    expect(() => decodeHistModel(topology, bad)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });

  it('early stopping keeps the rounds up to bestRound', () => {
    const val = synthetic(500, 4, 9);
    const seen: RoundProgress[] = [];
    const m = fitHist(train.x, train.y, train.rows, 4, gbt({ nEstimators: 500, learningRate: 0.5, earlyStopping: { validation: val, nIterNoChange: 5, tol: 0 } }), {
      onRound: (p) => void seen.push(p),
    });
    expect(seen.length).toBeLessThan(500);
    expect(m.bestRound).toBeGreaterThan(0);
    expect(seen.length).toBe(m.bestRound! + 5);
    expect(m.rounds).toBe(m.bestRound);
    expect(m.trees).toHaveLength(m.bestRound!);
    const best = Math.min(...seen.map((p) => p.valLoss!));
    expect(seen[m.bestRound! - 1].valLoss).toBe(best);
    expect(seen[0].valAccuracy).toBeGreaterThan(0.5);
  });

  it("onRound 'stop' and an aborted signal stop after that round", () => {
    const rounds: number[] = [];
    const m = fitHist(train.x, train.y, train.rows, 4, gbt(), { onRound: (p) => (rounds.push(p.round), p.round === 4 ? 'stop' : undefined) });
    expect(rounds).toEqual([1, 2, 3, 4]);
    expect(m.trees).toHaveLength(4);
    const ctrl = new AbortController();
    const rf = fitHist(
      train.x,
      train.y,
      train.rows,
      4,
      { ...histDefaults('random_forest', 'binary', 4, 2), nEstimators: 50 },
      {
        signal: ctrl.signal,
        onRound: (p) => {
          expect(Number.isFinite(p.loss)).toBe(true);
          if (p.round === 2) ctrl.abort();
        },
      },
    );
    expect(rf.trees).toHaveLength(2);
  });

  it('is deterministic for a seed', () => {
    const p = gbt({ subsample: 0.7, maxFeatures: 0.5, seed: 7 });
    const a = scoreHist(fitHist(train.x, train.y, train.rows, 4, p), test.x, test.rows);
    const b = scoreHist(fitHist(train.x, train.y, train.rows, 4, p), test.x, test.rows);
    const c = scoreHist(fitHist(train.x, train.y, train.rows, 4, { ...p, seed: 8 }), test.x, test.rows);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    const rf = { ...histDefaults('random_forest', 'binary', 4, 2), nEstimators: 5 };
    expect(scoreHist(fitHist(train.x, train.y, train.rows, 4, rf), test.x, test.rows)).toEqual(scoreHist(fitHist(train.x, train.y, train.rows, 4, rf), test.x, test.rows));
  });

  it('histogram subtraction equals a direct build', () => {
    const { x, y, rows, inputs } = synthetic(300, 4, 5);
    x[7] = NaN;
    const d = binData(x, rows, inputs, 16, 1);
    const idx = Int32Array.from({ length: rows }, (_, i) => i);
    const g = Float64Array.from({ length: rows }, (_, i) => y[i] - 0.4);
    const h = new Float64Array(rows).fill(0.25);
    const size = d.totalBins * GRAD_STRIDE;
    const parent = new Float64Array(size);
    buildGradHistogram(d, idx, 0, rows, g, h, parent);
    // Child = the first 120 rows; its sibling built directly must equal parent − child.
    const child = new Float64Array(size);
    buildGradHistogram(d, idx, 0, 120, g, h, child);
    const sibling = new Float64Array(size);
    buildGradHistogram(d, idx, 120, rows, g.subarray(120), h.subarray(120), sibling);
    const diff = new Float64Array(size);
    subtractHistogram(parent, child, diff);
    diff.forEach((v, i) => expect(v).toBeCloseTo(sibling[i], 9));
    const labels = Uint16Array.from(y);
    const w = new Float64Array(rows).fill(1);
    const [cp, cc, cs, cd] = [0, 1, 2, 3].map(() => new Float64Array(d.totalBins * 2));
    buildClassHistogram(d, idx, 0, rows, labels, w, 2, cp);
    buildClassHistogram(d, idx, 0, 120, labels, w, 2, cc);
    buildClassHistogram(d, idx, 120, rows, labels, w, 2, cs);
    subtractHistogram(cp, cc, cd);
    expect(Array.from(cd)).toEqual(Array.from(cs));
  });

  it('refuses impossible params with BAD_USER_INPUT naming the field', () => {
    const fit = (over: Partial<HistParams>) => () => fitHist(train.x, train.y, train.rows, 4, gbt(over));
    expect(fit({ maxBins: 300 })).toThrow('spec.tree.maxBins must be an integer in [2, 255], got 300');
    expect(fit({ maxBins: 300 })).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(fit({ minSamplesLeaf: 0 })).toThrow(/spec\.tree\.minSamplesLeaf/);
    expect(fit({ learningRate: 0 })).toThrow(/spec\.tree\.learningRate/);
    expect(fit({ subsample: 1.5 })).toThrow(/spec\.tree\.subsample/);
    expect(fit({ classCount: 3 })).toThrow(/spec\.tree\.classCount/);
    expect(() => fitHist(train.x, train.y, train.rows, 5, gbt())).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() =>
      fitHist(train.x, train.y, train.rows, 4, { ...histDefaults('random_forest', 'binary', 4, 2), earlyStopping: { validation: train, nIterNoChange: 3, tol: 0 } }),
    ).toThrow(/earlyStopping/);
  });
});
