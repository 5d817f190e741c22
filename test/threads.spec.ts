/**
 * The worker-thread pool (src/lib/threads): errors keep their code and details across the thread
 * hop, parsed tables come back typed, and a full queue refuses at once with QUOTA_EXCEEDED.
 */
import path from 'node:path';
import { AppError } from '../src/lib/errors';
import { movable } from '../src/lib/threads/task-result';
import { ThreadPool } from '../src/lib/threads/thread-pool';
import { createCsvThreads, type CsvThreads } from '../src/ml/data/csv-tasks';

const TASKS = path.join(__dirname, '../src/ml/data/csv-tasks.ts');
let pool: CsvThreads;

beforeAll(() => {
  pool = createCsvThreads(1);
});
afterAll(() => pool.close());

it('returns a parsed table with its typed columns', async () => {
  const table = await pool.run('parseCsvTable', { bytes: Buffer.from('x;city\n1,5;Zürich\n2;Bern\n', 'latin1'), options: {} });
  expect(table).toMatchObject({ columns: ['x', 'city'], rowCount: 2, delimiter: ';' });
  expect(table.data[0]).toEqual({ kind: 'numeric', values: Float64Array.of(1.5, 2) });
  expect(table.data[1]).toMatchObject({ kind: 'string', dictionary: ['Zürich', 'Bern'] });
});

it('moves upload bytes to the thread and back without copying, and never detaches pooled memory', async () => {
  const big = Buffer.from(`a,b\n${'1,2\n'.repeat(20_000)}`); // its own ArrayBuffer
  const moved = movable(big);
  expect(moved.bytes).toBe(big);
  const summary = await pool.run('profileCsv', { bytes: moved.bytes, options: {} }, moved.transfer);
  expect(big.byteLength).toBe(0); // moved away
  expect(summary).toMatchObject({ rowCount: 20_000 });
  expect(Buffer.from(summary.bytes).toString().startsWith('a,b\n1,2\n')).toBe(true);

  const small = Buffer.from('x,y\n1,2\n'); // a slice of Node's shared pool
  const neighbour = Buffer.from('still here');
  const copy = movable(small);
  expect(copy.bytes).not.toBe(small);
  await pool.run('profileCsv', { bytes: copy.bytes, options: {} }, copy.transfer);
  expect([small.toString(), neighbour.toString()]).toEqual(['x,y\n1,2\n', 'still here']);
});

it('throws the AppError the thread threw, with its code and details', async () => {
  const err = await pool.run('profileCsv', { bytes: Buffer.from('a,b\n1,2\n3,4,5\n'), options: {} }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  expect(err).toMatchObject({ code: 'BAD_USER_INPUT', details: { line: 3 } });
  expect((err as AppError).message).toMatch(/line 3 has 3 fields/);
});

it('refuses with QUOTA_EXCEEDED when the queue is full, and serves the rest', async () => {
  const small = new ThreadPool<{ profileCsv: (typeof import('../src/ml/data/csv-tasks'))['profileCsv'] }>(TASKS, 1, { maxQueue: 1 });
  try {
    const bytes = Buffer.from(`a,b\n${'1,2\n'.repeat(50_000)}`);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => small.run('profileCsv', { bytes, options: {} })));
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    expect(results.some((r) => r.status === 'fulfilled' && r.value.rowCount === 50_000)).toBe(true);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { retryAfterSeconds: 5 } });
  } finally {
    await small.close();
  }
});
