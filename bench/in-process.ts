/** In-process baselines for the benchmark: the model without any server around it. */
import { parseCsv } from '../src/ml/data/csv';
import { trainFromTable } from '../src/ml/pipeline';
import { loadScorer, predictRows } from '../src/ml/predictor';
import { normalizeSpec } from '../src/ml/spec';
import { initBackend } from '../src/ml/tf';
import { transformValues } from '../src/ml/preprocess/fit';
import { readRows } from '../src/ml/preprocess/read-rows';

/** The GraphQL spec of the benchmark in the ML layer's (Keras) terms. */
const kerasSpec = () =>
  normalizeSpec({
    layers: [
      { type: 'dense', units: 10, inputDim: 8, activation: 'relu' },
      { type: 'dense', units: 1, activation: 'sigmoid' },
    ],
    loss: 'binary_crossentropy',
    optimizer: { name: 'adam' },
    metrics: ['accuracy'],
    epochs: 10,
    batchSize: 32,
  });

const ROW = { Pregnancies: 6, Glucose: 148, BloodPressure: 72, SkinThickness: 35, Insulin: 0, BMI: 33.6, DiabetesPedigreeFunction: 0.627, Age: 50 };

function rate(seconds: number, fn: () => number): number {
  const end = performance.now() + seconds * 1000;
  let units = 0;
  const start = performance.now();
  while (performance.now() < end) units += fn();
  return units / ((performance.now() - start) / 1000);
}

export async function inProcessFigures(csv: string, _spec: unknown) {
  await initBackend();
  const trained = await trainFromTable(parseCsv(csv), { target: 'Outcome' }, kerasSpec(), async () => undefined);
  const stored = { framework: trained.framework, topology: trained.artifact.topology, weights: trained.artifact.weights, preprocessing: trained.pipeline };
  const scorer = await loadScorer(stored);
  const single = rate(2, () => (predictRows(scorer, trained.pipeline, [ROW]), 1));
  const bulk = Array.from({ length: 1000 }, (_, i) => ({ ...ROW, Glucose: 80 + (i % 120) }));
  const x = transformValues(trained.pipeline.columns, readRows(bulk, trained.pipeline), bulk.length);
  const bulkRowsPerSec = rate(2, () => (scorer.score(x, 1000), 1000));
  const bulkPipelineRowsPerSec = rate(2, () => (predictRows(scorer, trained.pipeline, bulk), 1000));
  scorer.dispose();
  const loads: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    const s = await loadScorer(stored);
    loads.push(performance.now() - t);
    s.dispose();
  }
  loads.sort((a, b) => a - b);
  return { singleRowPerSec: single, bulkRowsPerSec, bulkPipelineRowsPerSec, coldLoadMs: loads[10], coldLoads: loads.length };
}

/** Wall time of the same parse, preparation and fit as the queued run, in-process, ms. */
export async function bareTrainingMs(csv: string, epochs = 10): Promise<number> {
  await initBackend();
  const t = performance.now();
  await trainFromTable(parseCsv(csv), { target: 'Outcome' }, { ...kerasSpec(), epochs }, async () => undefined);
  return performance.now() - t;
}
