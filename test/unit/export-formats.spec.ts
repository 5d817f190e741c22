/**
 * Which families export what (src/ml/export/bundle.ts): families without a format (CNN, text,
 * recommenders) and artifacts ONNX cannot express are refused NOT_SUPPORTED, naming the family.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../src/lib/errors';
import { exportVersion, type ExportFormat } from '../../src/ml/export/bundle';
import { readPipeline } from '../../src/ml/preprocess/stored';

const INFO = { id: 'v-1', modelName: 'm', version: 1 };
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/legacy-tree-versions.json'), 'utf8'));
const legacy = fixture.random_forest.stored;
const pipeline = readPipeline(legacy.preprocessing);

async function refusal(framework: string, format: ExportFormat, topology: unknown = {}, weights = new Uint8Array(0)) {
  try {
    await exportVersion({ framework, topology, weights }, pipeline, INFO, format);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return { code: (err as AppError).code, message: (err as AppError).message };
  }
  throw new Error('exported');
}

it.each([
  ['tfjs-text', 'TEXT_CLASSIFIER'],
  ['tfjs-layers-image', 'CONVOLUTIONAL_NETWORK'],
  ['matrix-factorization', 'MATRIX_FACTORIZATION'],
])('a %s version has no export format: NOT_SUPPORTED naming %s', async (framework, family) => {
  for (const format of ['onnx', 'tfjs', 'json'] as const) {
    expect(await refusal(framework, format)).toEqual({ code: 'NOT_SUPPORTED', message: `${family} versions cannot be exported as ${format}; this family has no export format` });
  }
});

it('a tree version stored by the earlier learner is refused, not exported wrongly', async () => {
  expect(await refusal('random-forest', 'onnx', legacy.topology)).toEqual({
    code: 'NOT_SUPPORTED',
    message: 'ONNX export is not available for tree versions stored by the earlier learner (retrain the model)',
  });
  expect(await refusal('random-forest', 'json', legacy.topology)).toMatchObject({ code: 'NOT_SUPPORTED' });
});
