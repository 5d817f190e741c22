/** Caps on the lists and texts of a spec (src/ml/spec-sizes.ts): at the cap accepted, one past it refused with the field named. */
import { normalizeSpec, type SpecInput } from '../../src/ml/spec';
import { checkMissingValuesSizes, SIZE_LIMITS } from '../../src/ml/spec-sizes';

const BASE: SpecInput = { layers: [{ type: 'dense', units: 1, activation: 'sigmoid' }], loss: 'binary_crossentropy' } as SpecInput;
const ascending = (n: number) => Array.from({ length: n }, (_, i) => i);
const many = <T>(n: number, v: T) => Array.from({ length: n }, () => v);
const codeAndMessage = (f: () => unknown) => {
  try {
    f();
    return 'accepted';
  } catch (err) {
    const e = err as { code: string; message: string };
    return `${e.code}: ${e.message}`;
  }
};

const cases: [string, (n: number) => SpecInput, number, string][] = [
  ['boundaries', (n) => ({ ...BASE, preprocessing: { steps: [{ op: 'bucketize', boundaries: ascending(n) }] } }), SIZE_LIMITS.boundaries, 'spec.preprocessing.steps[0].boundaries'],
  ['steps', (n) => ({ ...BASE, preprocessing: { steps: many(n, { op: 'standardize' }) } }), SIZE_LIMITS.steps, 'spec.preprocessing.steps'],
  ['step columns', (n) => ({ ...BASE, preprocessing: { steps: [{ op: 'standardize', columns: many(n, 'x') }] } }), SIZE_LIMITS.columns, 'spec.preprocessing.steps[0].columns'],
  ['missingValues', (n) => ({ ...BASE, preprocessing: { missingValues: many(n, { values: ['?'] }) } }), SIZE_LIMITS.missingValues, 'spec.preprocessing.missingValues'],
  ['missing codes', (n) => ({ ...BASE, preprocessing: { missingValues: [{ values: many(n, '?') }] } }), SIZE_LIMITS.missingCodes, 'spec.preprocessing.missingValues[0].values'],
  ['classWeights', (n) => ({ ...BASE, classWeights: many(n, { label: 'a', weight: 1 }) }), SIZE_LIMITS.classWeights, 'spec.classWeights'],
  ['metrics', (n) => ({ ...BASE, metrics: many(n, 'accuracy') }) as SpecInput, SIZE_LIMITS.metrics, 'spec.metrics'],
];

it.each(cases)('refuses more %s than the cap, naming the field and the cap', (_what, make, cap, field) => {
  expect(codeAndMessage(() => normalizeSpec(make(cap + 1)))).toBe(`BAD_USER_INPUT: ${field} has ${cap + 1} entries; at most ${cap}`);
  expect(codeAndMessage(() => normalizeSpec(make(1_000_000)))).toBe(`BAD_USER_INPUT: ${field} has 1000000 entries; at most ${cap}`);
  // At the cap the size check passes (other checks may still refuse the spec for other reasons).
  expect(codeAndMessage(() => normalizeSpec(make(cap)))).not.toMatch(/entries; at most/);
});

it('refuses texts longer than the cap', () => {
  const long = 'x'.repeat(SIZE_LIMITS.text + 1);
  expect(codeAndMessage(() => normalizeSpec({ ...BASE, preprocessing: { labelSuffix: long } }))).toBe(
    `BAD_USER_INPUT: spec.preprocessing.labelSuffix is ${SIZE_LIMITS.text + 1} characters long; at most ${SIZE_LIMITS.text}`,
  );
  expect(codeAndMessage(() => normalizeSpec({ ...BASE, preprocessing: { steps: [{ op: 'impute', strategy: 'constant', fillValue: long }] } }))).toBe(
    `BAD_USER_INPUT: spec.preprocessing.steps[0].fillValue is ${SIZE_LIMITS.text + 1} characters long; at most ${SIZE_LIMITS.text}`,
  );
  expect(codeAndMessage(() => checkMissingValuesSizes('missingValues', [{ column: 'a', values: ['?', long] }]))).toBe(
    `BAD_USER_INPUT: missingValues[0].values[1] is ${SIZE_LIMITS.text + 1} characters long; at most ${SIZE_LIMITS.text}`,
  );
});

it('bounds the echo of bad boundaries in the message', () => {
  const message = codeAndMessage(() => normalizeSpec({ ...BASE, preprocessing: { steps: [{ op: 'bucketize', boundaries: [...ascending(999), 0] }] } }));
  expect(message).toBe('BAD_USER_INPUT: spec.preprocessing.steps[0].boundaries must be finite and strictly ascending, got [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ... (1000 values)]');
});
