/**
 * Functions over data-sized arrays must not spread them as call arguments (`Math.max(...x)`,
 * `push(...xs)`): past a few hundred thousand values the call stack overflows (review finding F4).
 */
import { stratifiedSplit } from '../src/ml/random';
import { softmax } from '../src/modules/serving/onnx-image-predict';

it('softmax of a 2,000,000-wide output', () => {
  const x = Array.from({ length: 2_000_000 }, (_, i) => (i === 7 ? 10 : 0));
  const p = softmax(x);
  expect(p).toHaveLength(2_000_000);
  expect(p[7]).toBeCloseTo(Math.exp(10) / (Math.exp(10) + 1_999_999), 12);
  expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
});

it('softmax of small logits is unchanged in value', () => {
  const p = softmax([1, 2, 3]);
  const e = [Math.exp(-2), Math.exp(-1), 1];
  const s = e[0]! + e[1]! + e[2]!;
  expect(p).toEqual(e.map((v) => v / s));
});

it('stratifiedSplit of 1,000,000 rows of one class', () => {
  const split = stratifiedSplit(new Uint8Array(1_000_000), 0.2, 0.25, 1);
  expect(split.test).toHaveLength(200_000);
  expect(split.validation).toHaveLength(200_000);
  expect(split.train).toHaveLength(600_000);
  expect(new Set([...split.train, ...split.validation, ...split.test]).size).toBe(1_000_000);
});
