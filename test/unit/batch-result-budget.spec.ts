/**
 * A batch result's bytes against the storage quota as the job builds it
 * (src/jobs/batch-result-budget.ts): refused before a chunk is built when even its cells' lower
 * bound does not fit, and once the exact bytes so far pass the room.
 */
import { AppError } from '../../src/lib/errors';
import { cellBytesAtLeast, ResultBudget } from '../../src/jobs/batch-result-budget';

const refuse = (what: string) => new AppError('QUOTA_EXCEEDED', `${what} would exceed the storage quota of 100 bytes`);

it('counts at least one byte per UTF-16 unit of a string and the digits of a number', () => {
  expect(cellBytesAtLeast(['abc', null, 12.5, 'é'])).toBe(3 + 4 + 1);
  expect(Buffer.byteLength('"abc",,12.5,"é"\n')).toBeGreaterThanOrEqual(cellBytesAtLeast(['abc', null, 12.5, 'é']));
});

it('refuses a chunk whose lower bound cannot fit, then the chunk that passes the room, naming the bytes and rows', () => {
  const budget = new ResultBudget(100, refuse);
  budget.add('"a","b"\n', 'row\n', 0, 10);
  expect([budget.fullBytes, budget.onlyBytes]).toEqual([8, 4]);
  expect(() => budget.expect(88, 5, 10)).not.toThrow();
  expect(() => budget.expect(89, 5, 10)).toThrow(
    new AppError('QUOTA_EXCEEDED', "Storing this batch's result (at least 101 bytes, after 5 of 10 rows) would exceed the storage quota of 100 bytes"),
  );
  budget.add('x'.repeat(80), 'é'.repeat(4), 5, 10); // 80 + 8 bytes: 100 in all, fits
  let thrown: unknown;
  try {
    budget.add('', 'y', 10, 10);
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(AppError);
  expect([(thrown as AppError).code, (thrown as AppError).message]).toEqual([
    'QUOTA_EXCEEDED',
    "Storing this batch's result (101 bytes: 88 with the dataset's cells, 13 of predictions only, after 10 of 10 rows) would exceed the storage quota of 100 bytes",
  ]);
});
