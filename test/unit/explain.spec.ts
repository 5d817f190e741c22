/**
 * Explanations without the API (Baseline Shapley, src/ml/explain.ts): sampling feature orders
 * agrees with the exact values and adds up exactly. Through the API: test/explain.spec.ts.
 */
import { parseCsv } from '../../src/ml/data/csv';
import { explainValues } from '../../src/ml/explain';
import { trainFromTable } from '../../src/ml/pipeline';
import { loadScorer } from '../../src/ml/predictor';
import { baselineValues } from '../../src/ml/preprocess/baseline';
import { readRows } from '../../src/ml/preprocess/read-rows';
import { normalizeSpec } from '../../src/ml/spec';
import { initBackend } from '../../src/ml/tf';
import { PIMA_CSV, PIMA_ROWS } from '../support/data';

const ROWS = PIMA_ROWS.slice(0, 40);

it('samples feature orders when asked, agreeing with the exact values and adding up exactly', async () => {
  await initBackend();
  const spec = normalizeSpec({
    layers: [
      { type: 'dense', units: 10, activation: 'relu' },
      { type: 'dense', units: 1, activation: 'sigmoid' },
    ],
    loss: 'binary_crossentropy',
    optimizer: { name: 'adam' },
    epochs: 10,
  });
  const trained = await trainFromTable(parseCsv(PIMA_CSV), { target: 'Outcome' }, spec, async () => undefined);
  const scorer = await loadScorer({ framework: trained.framework, topology: trained.artifact.topology, weights: trained.artifact.weights, preprocessing: trained.pipeline });
  try {
    const values = readRows(ROWS.slice(0, 5), trained.pipeline);
    const base = baselineValues(trained.pipeline, null).values;
    const exact = explainValues(scorer, trained.pipeline, values, 5, base);
    const sampled = explainValues(scorer, trained.pipeline, values, 5, base, { exactUpTo: 0, pairs: 128 });
    expect([exact.method, sampled.method]).toEqual(['exact', 'sampled']);
    expect(sampled.evaluations).toBe(2 * 128 * 9);
    exact.explanations.forEach((e, i) => {
      const s = sampled.explanations[i];
      expect(s.attributions.reduce((a, b) => a + b.attribution, 0)).toBeCloseTo(e.value - e.baseValue, 6);
      e.attributions.forEach((a, j) => expect(Math.abs(s.attributions[j].attribution - a.attribution)).toBeLessThan(0.02));
    });
  } finally {
    scorer.dispose();
  }
});
