/** One message for a number that is not finite, "<field> Infinity is not a finite number", wherever it is built (issue 10, item 4). */
import { notFinite, notFiniteMessage } from '../../src/lib/errors';
import { variablePath } from '../../src/graphql/format-error';
import { checkJsonValue } from '../../src/modules/common/json.scalar';
import { checkStepFields } from '../../src/ml/preprocess/plan';
import { readValue } from '../../src/ml/preprocess/read-rows';
import { range } from '../../src/ml/spec-checks';
import type { FittedColumn } from '../../src/ml/preprocess/types';

const thrown = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return { code: (err as { code?: string }).code, message: (err as Error).message };
  }
  throw new Error('did not throw');
};

it('builds the message and the coded error', () => {
  expect(notFiniteMessage('spec.learningRate', Infinity)).toBe('spec.learningRate Infinity is not a finite number');
  expect(notFiniteMessage('rows[0].x', -Infinity)).toBe('rows[0].x -Infinity is not a finite number');
  expect(notFiniteMessage('threshold', NaN)).toBe('threshold NaN is not a finite number');
  expect(notFinite('threshold', NaN)).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'threshold' } });
});

it.each([
  ['a spec range', () => range('optimizer.learningRate', Infinity, 0, 10, false), 'spec.optimizer.learningRate Infinity is not a finite number'],
  ['a preprocessing step', () => checkStepFields([{ op: 'clip', column: 'a', lower: -Infinity } as never]), 'spec.preprocessing.steps[0].lower -Infinity is not a finite number'],
  ['a JSON value, with its inner path', () => checkJsonValue({ a: [1, { b: NaN }] }, 'rows'), 'rows.a[1].b NaN is not a finite number'],
  ['a predict value sent as a number', () => readValue(Infinity, { name: 'Age', type: 'numeric' } as FittedColumn, 2, () => false), 'rows[2].Age Infinity is not a finite number'],
  [
    'a predict value sent as text too large for a double',
    () => readValue('-1e400', { name: 'Age', type: 'numeric' } as FittedColumn, 0, () => false),
    'rows[0].Age -Infinity is not a finite number',
  ],
])('%s', (_what, fn, message) => {
  expect(thrown(fn)).toEqual({ code: 'BAD_USER_INPUT', message });
});

it('reads which variable graphql-js names in a coercion error', () => {
  expect(variablePath('Variable "$v" got invalid value Infinity; Int cannot represent non-integer value: Infinity', 'Int cannot represent non-integer value: Infinity')).toBe('v');
  expect(
    variablePath(
      'Variable "$input" got invalid value Infinity at "input.spec.optimizer.learningRate"; Float cannot represent non numeric value: Infinity',
      'Float cannot represent non numeric value: Infinity',
    ),
  ).toBe('input.spec.optimizer.learningRate');
  expect(
    variablePath(
      'Variable "$rows" got invalid value { x: Infinity } at "rows[1]"; Expected type "JSONObject". JSONObject value.x Infinity is not a finite number',
      'JSONObject value.x Infinity is not a finite number',
    ),
  ).toBe('rows[1]');
  // A value that itself reads like a path is not taken for one.
  expect(variablePath('Variable "$d" got invalid value "x at \\"y\\""; reason', 'reason')).toBe('d');
  expect(variablePath('Expected value of type "DateTimeISO", found "0000"; reason', 'reason')).toBeUndefined();
});
