/** Preprocessing steps: planning (and its errors), fitting on the training split only, applying. */
import { parseCsv } from '../../src/ml/data/csv';
import { prepareData } from '../../src/ml/prepare';
import { fitColumn, transformValues } from '../../src/ml/preprocess/fit';
import { planPipeline } from '../../src/ml/preprocess/plan';
import { readRows } from '../../src/ml/preprocess/read-rows';
import type { Values } from '../../src/ml/preprocess/steps';
import { readPipeline } from '../../src/ml/preprocess/stored';
import type { StepSpec } from '../../src/ml/preprocess/types';
import type { ColumnType } from '../../src/ml/data/infer-type';
import { normalizeSpec } from '../../src/ml/spec';

/** Fits one column's steps on `train` and applies them to `apply`; returns rows of model inputs. */
function run(type: ColumnType, steps: StepSpec[], train: Values, apply: Values = train) {
  const [planned] = planPipeline([{ name: 'c', type }], steps);
  const fitted = fitColumn(planned, train, []);
  const x = transformValues([fitted], [apply], apply.length);
  const w = fitted.outputs.length;
  return { fitted, rows: Array.from({ length: apply.length }, (_, i) => Array.from(x.subarray(i * w, (i + 1) * w))) };
}
const nums = (...v: number[]) => Float64Array.from(v);

describe('numeric steps', () => {
  it.each([
    ['mean', undefined, 2],
    ['median', undefined, 1.5],
    ['most_frequent', undefined, 1],
    ['constant', '-1', -1],
  ] as const)('imputes with the %s', (strategy, fillValue, expected) => {
    const { rows } = run('numeric', [{ op: 'impute', strategy, fillValue }], nums(1, 1, 2, 4, NaN));
    expect(rows[4][0]).toBeCloseTo(expected, 12);
  });

  it('imputes the mean first when no step says how (a missing value never reaches a model)', () => {
    expect(run('numeric', [], nums(2, NaN, 4)).rows).toEqual([[2], [3], [4]]);
  });

  it('clips by quantile and by z-score, standardises and min-max scales', () => {
    const x = nums(...Array.from({ length: 101 }, (_, i) => i)); // 0..100
    expect(run('numeric', [{ op: 'clip', lower: 0.1, upper: 0.9 }], x, nums(-5, 50, 500)).rows).toEqual([[10], [50], [90]]);
    const z = run('numeric', [{ op: 'clip', method: 'z_score', threshold: 1 }], x, nums(1000));
    expect(z.rows[0][0]).toBeCloseTo(50 + Math.sqrt(850), 3); // mean + 1 population std of 0..100
    expect(run('numeric', [{ op: 'standardize' }], nums(1, 3), nums(1, 3, 5)).rows).toEqual([[-1], [1], [3]]);
    expect(run('numeric', [{ op: 'min_max_scale' }], nums(10, 20), nums(10, 15, 30)).rows).toEqual([[0], [0.5], [2]]);
    expect(run('numeric', [{ op: 'standardize' }], nums(7, 7), nums(7, 8)).rows).toEqual([[0], [1]]); // constant: std 1
  });

  it('bucketizes by explicit boundaries or training quantiles, one-hot per bucket', () => {
    const b = run('numeric', [{ op: 'bucketize', boundaries: [0, 10] }], nums(1), nums(-1, 0, 5, 10, 99));
    expect(b.fitted.outputs).toEqual(['c<0', 'c[0,10)', 'c>=10']);
    expect(b.rows).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 0],
      [0, 0, 1],
      [0, 0, 1],
    ]);
    const q = run('numeric', [{ op: 'bucketize', bins: 4 }], nums(1, 2, 3, 4, 5, 6, 7, 8, 9));
    expect((q.fitted.steps[1] as { boundaries: number[] }).boundaries).toEqual([3, 5, 7]);
  });
});

describe('categorical and text steps', () => {
  it('one-hot encodes by frequency; an unknown or missing category is all zeros', () => {
    const { fitted, rows } = run('categorical', [{ op: 'one_hot' }], ['b', 'a', 'b', null], ['a', 'b', 'zebra', null]);
    expect(fitted.outputs).toEqual(['c=b', 'c=a']);
    expect(rows).toEqual([
      [0, 1],
      [1, 0],
      [0, 0],
      [0, 0],
    ]);
  });

  it('imputes the most frequent category, keeps maxCategories, one-hot encodes numbers as categories', () => {
    const { rows } = run(
      'categorical',
      [
        { op: 'impute', strategy: 'most_frequent' },
        { op: 'one_hot', maxCategories: 1 },
      ],
      ['x', 'x', 'y', null],
    );
    expect(rows).toEqual([[1], [1], [0], [1]]);
    expect(run('numeric', [{ op: 'one_hot', columns: ['c'] }], nums(3, 5, 3)).fitted.outputs).toEqual(['c=3', 'c=5']);
  });

  it('counts tokens and computes TF-IDF as scikit-learn (smooth idf, l2 norm, vocabulary cap)', () => {
    const docs = ['The cat sat', 'the dog sat', 'the cat ran'];
    const counts = run('text', [{ op: 'token_counts', maxTokens: 3 }], docs, ['cat cat a dog', null]);
    expect(counts.fitted.outputs).toEqual(['c:the', 'c:cat', 'c:sat']); // by corpus count, ties by token
    expect(counts.rows).toEqual([
      [0, 2, 0],
      [0, 0, 0],
    ]);
    const tfidf = run('text', [{ op: 'tf_idf' }], docs);
    // idf = ln((1 + 3) / (1 + df)) + 1: the 1, cat 1.28768, sat 1.28768; row 0 scaled to unit length.
    const norm = Math.sqrt(1 + 2 * (Math.log(4 / 3) + 1) ** 2);
    expect(tfidf.fitted.outputs.slice(0, 3)).toEqual(['c:the', 'c:cat', 'c:sat']);
    expect(tfidf.rows[0].slice(0, 3)).toEqual([1 / norm, (Math.log(4 / 3) + 1) / norm, (Math.log(4 / 3) + 1) / norm].map((v) => expect.closeTo(v, 6)));
  });
});

describe('planPipeline', () => {
  const features = [
    { name: 'n', type: 'numeric' as const },
    { name: 'cat', type: 'categorical' as const },
  ];
  it.each([
    [[{ op: 'standardize', columns: ['nn'] }], /steps\[0\].columns names 'nn', which is not a feature column/],
    [[{ op: 'standardize', columns: ['cat'] }], /steps\[0\] \(STANDARDIZE\) cannot apply to column 'cat', which is categorical/],
    [[{ op: 'one_hot' }, { op: 'impute', strategy: 'constant', columns: ['cat'] }], /steps\[1\] \(IMPUTE\) comes after column 'cat' was encoded by spec.preprocessing.steps\[0\]/],
    [[{ op: 'standardize' }], /feature column 'cat' is categorical and no step encodes it; add a ONE_HOT step/],
    [[{ op: 'impute', strategy: 'constant', fillValue: 'abc', columns: ['n'] }, { op: 'one_hot' }], /steps\[0\].fillValue must be a number for numeric column 'n', got 'abc'/],
    [[{ op: 'clip', lower: 0.9, upper: 0.1 }, { op: 'one_hot' }], /steps\[0\].lower \(0.9\) must be below/],
    [[{ op: 'bucketize', boundaries: [3, 1] }, { op: 'one_hot' }], /steps\[0\].boundaries must be finite and strictly ascending/],
  ])('refuses %j', (steps, message) => {
    expect(() => planPipeline(features, steps as StepSpec[])).toThrow(message);
  });
});

describe('prepareData', () => {
  const csv = ['x,colour,y', ...Array.from({ length: 10 }, (_, i) => `${i < 8 ? i : 1000},${i % 2 ? 'red' : 'blue'},${i % 2}`)].join('\n');
  const spec = normalizeSpec({ layers: [{ type: 'dense', units: 1, activation: 'sigmoid' }], loss: 'binary_crossentropy', testFraction: 0.2, seed: 1 });

  it('fits the pipeline on the training split only', () => {
    const data = prepareData(parseCsv(csv), { target: 'y' }, spec);
    const { mean, std } = data.pipeline.columns[0].steps.find((s) => s.op === 'standardize') as { mean: number; std: number };
    const width = data.inputNames.length;
    const testValues = Array.from({ length: data.test.rows }, (_, i) => data.test.x[i * width] * std + mean);
    const all = [0, 1, 2, 3, 4, 5, 6, 7, 1000, 1000];
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(data.train.rows).toBe(8);
    expect(mean).toBeCloseTo((sum(all) - sum(testValues)) / 8, 3); // the 8 training rows' mean, not all 10 (202.8)
    expect(data.inputNames).toEqual(['x', 'colour=blue', 'colour=red']);
  });

  it('reads prediction rows like CSV rows: numbers as strings, unknown CSV columns refused, others ignored', () => {
    const data = prepareData(parseCsv(csv), { target: 'y', features: ['colour'] }, spec);
    const values = readRows([{ colour: 'red', x: '3', y: 1 }], data.pipeline);
    expect(values).toEqual([['red']]);
    expect(() => readRows([{ colour: 'red', colur: 1 }], data.pipeline)).toThrow("rows[0] has unknown feature 'colur' (did you mean 'colour'?)");
  });
});

it('reads a version stored before pipelines as the equivalent pipeline', () => {
  const legacy = { features: [{ name: 'a', mean: 2, std: 4 }], standardize: true, target: { name: 't', task: 'binary', classes: ['0', '1'] } };
  const p = readPipeline(legacy);
  expect(p.columns[0].steps).toEqual([
    { op: 'impute', value: 2 },
    { op: 'standardize', mean: 2, std: 4 },
  ]);
  expect(Array.from(transformValues(p.columns, readRows([{ a: 10 }, { a: null }], p), 2))).toEqual([2, 0]);
});
