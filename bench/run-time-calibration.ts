/**
 * Calibrates the run-time estimate (src/ml/run-time.ts): trains a few synthetic runs end to end
 * (CSV parse, preprocessing, fit, test metrics) on this thread with the WASM backend, and prints
 * the measured seconds (wall clock, and CPU time: what the run needs on a core of its own) beside
 * the estimate. Run without a build:
 *   node -r ./test/support/ts-register.cjs bench/run-time-calibration.ts
 */
import { parseCsv } from '../src/ml/data/csv';
import { familyOf } from '../src/ml/families/registry';
import { trainFromTable } from '../src/ml/pipeline';
import { estimateRunTime } from '../src/ml/run-time';
import { normalizeSpec } from '../src/ml/spec';
import type { SpecInput } from '../src/ml/spec-types';
import { initBackend } from '../src/ml/tf';

/** A numeric CSV of `rows` rows × `features` features and a binary target `y` (a fixed linear rule plus noise). */
function syntheticCsv(rows: number, features: number): string {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const lines = [[...Array.from({ length: features }, (_, j) => `f${j}`), 'y'].join(',')];
  for (let r = 0; r < rows; r++) {
    const x = Array.from({ length: features }, rand);
    const y = x.reduce((s, v, j) => s + v * (j % 3 === 0 ? 1 : -0.5), 0) + 0.3 * rand() > 0 ? 1 : 0;
    lines.push([...x.map((v) => v.toFixed(4)), y].join(','));
  }
  return lines.join('\n');
}

const dense = (units: number[], inputs: number) => [
  ...units.map((u, i) => ({ type: 'dense' as const, units: u, ...(i === 0 ? { inputDim: inputs } : {}), activation: 'relu' as const })),
  { type: 'dense' as const, units: 1, activation: 'sigmoid' as const },
];

const CASES: { label: string; rows: number; features: number; spec: SpecInput }[] = [
  { label: 'MLP 16-256-256-1, batch 64, 3 epochs', rows: 4000, features: 16, spec: { layers: dense([256, 256], 16), loss: 'binary_crossentropy', epochs: 3, batchSize: 64 } },
  { label: 'MLP 16-512-512-1, batch 256, 2 epochs', rows: 4000, features: 16, spec: { layers: dense([512, 512], 16), loss: 'binary_crossentropy', epochs: 2, batchSize: 256 } },
  { label: 'reference-like 16-10-1, batch 1, 1 epoch', rows: 2000, features: 16, spec: { layers: dense([10], 16), loss: 'binary_crossentropy', epochs: 1, batchSize: 1 } },
  { label: 'reference-like 16-10-1, batch 32, 20 epochs', rows: 4000, features: 16, spec: { layers: dense([10], 16), loss: 'binary_crossentropy', epochs: 20, batchSize: 32 } },
  { label: 'random forest 30 trees depth 10', rows: 20000, features: 16, spec: { model: 'random_forest', tree: { nEstimators: 30, maxDepth: 10 } } },
  { label: 'gradient boosting 100 rounds', rows: 20000, features: 16, spec: { model: 'gradient_boosting', tree: { nEstimators: 100 } } },
  { label: 'decision tree depth 12, 64 features', rows: 20000, features: 64, spec: { model: 'decision_tree', tree: { maxDepth: 12 } } },
];

async function main() {
  console.log('backend', await initBackend('wasm'));
  for (const c of CASES) {
    const table = parseCsv(syntheticCsv(c.rows, c.features));
    const spec = normalizeSpec({ ...c.spec, metrics: ['accuracy'] });
    const family = familyOf(spec.model);
    const trainRows = Math.ceil(c.rows * (1 - spec.testFraction) * (1 - spec.validationSplit));
    const estimate = estimateRunTime(family, spec, { inputs: c.features, outputs: 1, featureColumns: c.features, rows: trainRows });
    const started = performance.now();
    const cpu = process.cpuUsage();
    await trainFromTable(table, { target: 'y' }, spec, async () => undefined);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    // CPU seconds: what the run costs on a core of its own, whatever else the machine is running.
    const cpuSeconds = (used.user + used.system) / 1e6;
    console.log(`${c.label}: ${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU; estimated ${estimate?.seconds.toFixed(2)} s (${estimate?.basis})`);
  }
}

void main();
