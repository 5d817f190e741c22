/**
 * Versions stored by the earlier tree learner (ml-cart / ml-random-forest JSON, before the
 * histogram learner) still load and predict exactly as they did. The fixture was written by that
 * code: each version's stored columns, 20 Pima rows, and the predictions it served for them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadPredictor } from '../../src/ml/predictor';

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/legacy-tree-versions.json'), 'utf8')) as Record<
  string,
  { stored: { framework: string; topology: unknown; weights: string; preprocessing: unknown }; rows: unknown[]; predictions: unknown[] }
>;

it.each(Object.keys(fixture))('a %s stored by the previous learner predicts as it did', async (kind) => {
  const { stored, rows, predictions } = fixture[kind];
  const predictor = await loadPredictor({ ...stored, weights: Buffer.from(stored.weights, 'base64') });
  expect(predictor.framework).toBe(kind === 'decision_tree' ? 'decision-tree' : 'random-forest');
  expect(predictor.predict(rows)).toEqual(predictions);
  predictor.dispose();
});
