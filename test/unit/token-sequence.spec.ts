/**
 * The text model's tokenizer (TOKEN_SEQUENCE), its spec checks, and text profiles: tokens,
 * a vocabulary from the training split only, ids (0 padding, 1 OOV), padding and truncation,
 * the same ids for prediction rows as for training rows.
 */
import { AppError } from '../../src/lib/errors';
import { parseCsv } from '../../src/ml/data/csv';
import { summarizeText, tokensByClass } from '../../src/ml/data/text-profile';
import { transformValues } from '../../src/ml/preprocess/fit';
import { readRows } from '../../src/ml/preprocess/read-rows';
import { fitSequenceVocabulary, OOV_ID, PAD_ID, sequenceTokens } from '../../src/ml/preprocess/token-sequence';
import { prepareData } from '../../src/ml/prepare';
import { checkTextData, textCost } from '../../src/ml/families/text/cost';
import { normalizeSpec, type SpecInput } from '../../src/ml/spec';

const codeAndMessage = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? `${err.code}: ${err.message}` : `not an AppError: ${(err as Error).message}`;
  }
  return 'no error';
};

const TEXT_SPEC: SpecInput = {
  model: 'text_classifier',
  layers: [{ type: 'dense', units: 1, activation: 'sigmoid' }],
  loss: 'binary_crossentropy',
  testFraction: 0.25,
  seed: 1,
};

it('tokenizes lower-cased runs of letters and digits, Unicode-aware', () => {
  expect(sequenceTokens("Free £1000 PRIZE!! Call 0906-170 now, it's Zürich's 日本 café")).toEqual([
    'free',
    '1000',
    'prize',
    'call',
    '0906',
    '170',
    'now',
    'it',
    's',
    'zürich',
    's',
    '日本',
    'café',
  ]);
  expect(sequenceTokens(null)).toEqual([]);
  expect(sequenceTokens(':) !!')).toEqual([]);
});

it('keeps the most frequent tokens, ties by token, up to maxTokens', () => {
  expect(fitSequenceVocabulary(['b a c', 'a b', 'a d', null], 3)).toEqual(['a', 'b', 'c']);
  expect(fitSequenceVocabulary(['x y', 'y x'], 10)).toEqual(['x', 'y']);
});

it('fits the vocabulary on the training split only, pads, truncates, and reads predict rows the same way', () => {
  // 8 rows, 2 held out (testFraction 0.25): each row has a token of its own, `only<i>`.
  const lines = ['text,label'];
  for (let i = 0; i < 8; i++) lines.push(`common word only${i} ${i % 2 ? 'spam spam' : ''},${i % 2 ? 'yes' : 'no'}`);
  const table = parseCsv(lines.join('\n'), { hasHeader: true });
  const spec = normalizeSpec({ ...TEXT_SPEC, preprocessing: { steps: [{ op: 'token_sequence', maxTokens: 100, sequenceLength: 4 }] } });
  const data = prepareData(table, { target: 'label' }, spec);
  expect(data.format).toBe('tokens');
  expect(data.inputShape).toEqual([4]);
  const step = data.pipeline.columns[0].steps[0];
  if (step.op !== 'token_sequence') throw new Error(step.op);
  expect(step.sequenceLength).toBe(4);
  const own = step.vocabulary.filter((t) => t.startsWith('only'));
  expect(own).toHaveLength(6); // the 2 test rows' own tokens are not in it
  // A held-out row: its own token is out of vocabulary.
  const testRow = Array.from(data.test.x.subarray(0, 4));
  expect(testRow[2]).toBe(OOV_ID);
  const id = (t: string) => step.vocabulary.indexOf(t) + 2;
  // Predict rows: padding after a short text, truncation of a long one (first tokens kept).
  const rows = [{ text: 'Common WORD' }, { text: 'spam spam spam spam common' }, { text: null }];
  const x = transformValues(data.pipeline.columns, readRows(rows, data.pipeline), 3);
  expect(Array.from(x)).toEqual([id('common'), id('word'), PAD_ID, PAD_ID, id('spam'), id('spam'), id('spam'), id('spam'), 0, 0, 0, 0]);
});

it('refuses token sequences for models that do not read them, and text options elsewhere', () => {
  const net = { layers: [{ type: 'dense' as const, units: 1, activation: 'sigmoid' as const }], loss: 'binary_crossentropy' as const };
  expect(codeAndMessage(() => normalizeSpec({ ...net, preprocessing: { steps: [{ op: 'token_sequence' }] } }))).toBe(
    'BAD_USER_INPUT: spec.preprocessing.steps[0] TOKEN_SEQUENCE makes token ids for text models; NEURAL_NETWORK does not read them (use TF_IDF or TOKEN_COUNTS, or model TEXT_CLASSIFIER)',
  );
  expect(codeAndMessage(() => normalizeSpec({ ...net, text: { embeddingDim: 8 } }))).toBe('BAD_USER_INPUT: spec.text is for TEXT_CLASSIFIER models; set spec.model');
  expect(codeAndMessage(() => normalizeSpec({ model: 'decision_tree', text: { embeddingDim: 8 } }))).toBe(
    'BAD_USER_INPUT: spec.text is for TEXT_CLASSIFIER models, not DECISION_TREE',
  );
  expect(codeAndMessage(() => normalizeSpec({ ...TEXT_SPEC, preprocessing: { steps: [{ op: 'tf_idf' }] } }))).toMatch(
    /^BAD_USER_INPUT: spec.preprocessing.steps has no TOKEN_SEQUENCE step/,
  );
  expect(codeAndMessage(() => normalizeSpec({ ...TEXT_SPEC, preprocessing: { steps: [{ op: 'tf_idf', sequenceLength: 8 }] } }))).toBe(
    'BAD_USER_INPUT: spec.preprocessing.steps[0].sequenceLength is for TOKEN_SEQUENCE steps; step 0 is TF_IDF',
  );
  expect(codeAndMessage(() => normalizeSpec({ ...TEXT_SPEC, preprocessing: { steps: [{ op: 'token_sequence', sequenceLength: 0 }] } }))).toBe(
    'BAD_USER_INPUT: spec.preprocessing.steps[0].sequenceLength must be an integer in [1, 1000], got 0',
  );
  expect(codeAndMessage(() => normalizeSpec({ ...TEXT_SPEC, text: { filters: 8 } }))).toBe('BAD_USER_INPUT: spec.text.filters is for architecture CONV1D, got AVERAGE_POOLING');
  expect(codeAndMessage(() => normalizeSpec({ ...TEXT_SPEC, text: { embeddingDim: 0 } }))).toBe('BAD_USER_INPUT: spec.text.embeddingDim must be an integer in [1, 512], got 0');
  expect(codeAndMessage(() => normalizeSpec({ ...TEXT_SPEC, layers: [{ type: 'dense', units: 1, activation: 'sigmoid', inputDim: 16 }] }))).toMatch(
    /^BAD_USER_INPUT: spec.layers\[0\].inputDim is not taken by TEXT_CLASSIFIER/,
  );
  // The default tokenizer when no steps are declared.
  expect(normalizeSpec(TEXT_SPEC).preprocessing.steps).toEqual([{ op: 'token_sequence' }]);
  expect(normalizeSpec(TEXT_SPEC).text).toEqual({ embeddingDim: 16, architecture: 'average_pooling' });
});

it('profiles a text column: tokens per row, vocabulary, top tokens overall and per class', () => {
  const table = parseCsv('text,label\n"free prize, call now",spam\n"see you at lunch",ham\n"call me later",ham\n"free free entry",spam\n"see you",ham\n', { hasHeader: true });
  const column = table.data[0];
  if (column.kind !== 'string') throw new Error('not text');
  const summary = summarizeText(column)!;
  expect(summary).toMatchObject({ minTokens: 2, medianTokens: 3, maxTokens: 4, meanTokens: 3.2, vocabularySize: 11 });
  expect(summary.p95Tokens).toBeCloseTo(4, 10);
  expect(summary.topTokens.slice(0, 4)).toEqual([
    { token: 'free', count: 3 },
    { token: 'call', count: 2 },
    { token: 'see', count: 2 },
    { token: 'you', count: 2 },
  ]);
  expect(summary.lengthHistogram.reduce((s, b) => s + b.count, 0)).toBe(5);
  const byClass = tokensByClass(table, 'text', 'label');
  expect(byClass.map((c) => [c.label, c.rows, c.vocabularySize, c.topTokens[0]])).toEqual([
    ['ham', 3, 7, { token: 'see', count: 2 }],
    ['spam', 2, 5, { token: 'free', count: 3 }],
  ]);
  expect(codeAndMessage(() => tokensByClass(table, 'txt', 'label'))).toBe("BAD_USER_INPUT: column 'txt' is not a column of the dataset (did you mean 'text'?)");
});

it('counts the embedding table as parameters in the cost limits, and takes one text column', () => {
  const spec = normalizeSpec({ ...TEXT_SPEC, preprocessing: { steps: [{ op: 'token_sequence', maxTokens: 5000, sequenceLength: 64 }] } });
  const shape = { inputs: 64, outputs: 1, featureColumns: 1, rows: 5574 };
  // (5,000 tokens + padding + OOV) × 16 + the sigmoid unit's 16 weights and bias.
  expect(textCost(spec, shape).weights).toBe(5002 * 16 + 17);
  expect(codeAndMessage(() => checkTextData(spec, shape))).toBe('no error');
  const wide = normalizeSpec({ ...TEXT_SPEC, text: { embeddingDim: 512 }, preprocessing: { steps: [{ op: 'token_sequence', maxTokens: 10_000 }] } });
  expect(codeAndMessage(() => checkTextData(wide, shape))).toMatch(/^QUOTA_EXCEEDED: TEXT_CLASSIFIER with 5121537 weights is too large: the limit is 5000000 weights/);
  expect(codeAndMessage(() => checkTextData(spec, { ...shape, featureColumns: 2 }))).toBe(
    'BAD_USER_INPUT: A TEXT_CLASSIFIER reads one text column; 2 feature columns are selected: set featureColumns to the text column',
  );
});
