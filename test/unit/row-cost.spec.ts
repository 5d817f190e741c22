/** The measured cost per row of a served version (src/ml/serving/row-cost.ts). */
import { RowCostEstimate } from '../../src/ml/serving/row-cost';

it('keeps the lowest nanoseconds per row seen over calls of at least CALIBRATION_ROWS rows, at least 1, ignoring non-finite times', async () => {
  const e = new RowCostEstimate();
  expect(e.perRow).toBeUndefined();
  e.observe(16, 1.6); // 0.1 ms a row
  expect(e.perRow).toBe(100_000);
  e.observe(20, 10); // a call that waited: higher, ignored
  e.observe(1, 0.001); // one row: its fixed cost is not a row's, not counted
  expect(e.perRow).toBe(100_000);
  e.observe(1000, 20); // 20 µs a row
  expect(e.perRow).toBe(20_000);
  e.observe(0, 1);
  e.observe(50, Number.NaN);
  expect(e.perRow).toBe(20_000);
  e.observe(1e9, 0);
  expect(e.perRow).toBe(1);
  const timed = new RowCostEstimate();
  await expect(timed.time(16, async () => 'out')).resolves.toBe('out');
  expect(timed.perRow).toBeGreaterThanOrEqual(1);
});
