/**
 * The feature columns may encode to at most MAX_MODEL_INPUTS model inputs (src/ml/pipeline.ts;
 * issue 10, review 2 N4: 4,999 one-hot text columns made an 8 MB fitted pipeline whose first load
 * held the event loop), checked in the training run before the fit: past it the run fails with a
 * coded refusal naming the count and what lowers it.
 */
import { AppError } from '../../src/lib/errors';
import { checkModelInputs, MAX_MODEL_INPUTS, trainFromTable } from '../../src/ml/pipeline';
import { parseCsv } from '../../src/ml/data/csv';
import { normalizeSpec } from '../../src/ml/spec';

it('lets up to MAX_MODEL_INPUTS through and refuses one more, naming the count and the remedies', () => {
  expect(() => checkModelInputs(MAX_MODEL_INPUTS, 5000)).not.toThrow();
  let refusal: unknown;
  try {
    checkModelInputs(MAX_MODEL_INPUTS + 1, 4999);
  } catch (err) {
    refusal = err;
  }
  expect(refusal).toBeInstanceOf(AppError);
  expect([(refusal as AppError).code, (refusal as AppError).message, (refusal as AppError).details]).toEqual([
    'BAD_USER_INPUT',
    'The 4999 feature columns encode to 50001 model inputs (one-hot categories, tokens and bins count one each); at most 50000: select fewer featureColumns, or lower the preprocessing maxCategories or maxTokens',
    { field: 'featureColumns', inputs: 50_001, limit: 50_000 },
  ]);
});

it('fails a tree run on 1,100 text columns of 50 categories each (55,000 one-hot inputs) before the fit', async () => {
  const columns = Array.from({ length: 1100 }, (_, j) => `c${j}`);
  const lines = Array.from({ length: 400 }, (_, i) => [...columns.map((_, j) => `v${j}_${i % 50}`), String(i % 2)].join(','));
  const table = parseCsv([[...columns, 'y'].join(','), ...lines].join('\n'));
  const spec = normalizeSpec({ model: 'decision_tree', tree: { maxDepth: 2 } } as never);
  await expect(trainFromTable(table, { target: 'y' }, spec, async () => undefined)).rejects.toMatchObject({
    code: 'BAD_USER_INPUT',
    details: { field: 'featureColumns', limit: 50_000 },
  });
});
