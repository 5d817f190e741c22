/** A prediction row's value is at most MAX_VALUE_CHARS characters (review 5: a 9 MB text held the event loop while it was tokenised). */
import { AppError } from '../../src/lib/errors';
import type { FittedColumn } from '../../src/ml/preprocess/types';
import { MAX_VALUE_CHARS, readValue } from '../../src/ml/preprocess/read-rows';

const text = { name: 'message', type: 'text', missingCodes: [], steps: [], outputs: [], reference: null } as unknown as FittedColumn;

it('reads a text of MAX_VALUE_CHARS characters and refuses a longer one, naming the row, feature and length', () => {
  expect(readValue('a'.repeat(MAX_VALUE_CHARS), text, 0, () => false)).toHaveLength(MAX_VALUE_CHARS);
  let err: unknown;
  try {
    readValue('b'.repeat(9_000_000), text, 3, () => false);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(AppError);
  expect(err).toMatchObject({ code: 'BAD_USER_INPUT', message: 'rows[3].message has 9000000 characters; a value may have at most 65536', details: { row: 3, feature: 'message' } });
});
