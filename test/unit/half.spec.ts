/**
 * IEEE 754 binary16 (FP16) bit patterns, exactly: numbers to halves rounded to nearest, ties to even,
 * from the double (no float32 step), overflow to ±Infinity, subnormals; and every half back and forth.
 * Reference patterns: IEEE 754-2008 §3.6 (binary16: 5 exponent bits, bias 15, 10 fraction bits); every
 * expected pattern below was checked against numpy 1.x's float64 → float16 cast (round to nearest even).
 */
import { fromHalf, toHalf } from '../../src/ml/half';
import { encodeBinaryOutput } from '../../src/modules/serving/binary-tensors';

it.each([
  ['1', 1, 0x3c00],
  ['-2', -2, 0xc000],
  ['0', 0, 0x0000],
  ['-0', -0, 0x8000],
  ['0.5', 0.5, 0x3800],
  ['65504, the largest finite half', 65504, 0x7bff],
  ['65519.99, below the midpoint to 2^16', 65519.99, 0x7bff],
  ['65520, the midpoint: ties to even overflow', 65520, 0x7c00],
  ['1e6, overflow', 1e6, 0x7c00],
  ['-1e6, overflow', -1e6, 0xfc00],
  ['Infinity', Infinity, 0x7c00],
  ['-Infinity', -Infinity, 0xfc00],
  ['NaN', NaN, 0x7e00],
  ['2^-14, the smallest normal', 2 ** -14, 0x0400],
  ['1023 × 2^-24, the largest subnormal', 1023 * 2 ** -24, 0x03ff],
  ['2^-24, the smallest subnormal', 2 ** -24, 0x0001],
  ['-2^-24', -(2 ** -24), 0x8001],
  ['2^-25, halfway to the smallest subnormal: ties to even 0', 2 ** -25, 0x0000],
  ['1.5 × 2^-25: rounds up', 1.5 * 2 ** -25, 0x0001],
  ['3 × 2^-25, halfway between subnormals 1 and 2: ties to even 2', 3 * 2 ** -25, 0x0002],
  ['1e-9, underflow to 0', 1e-9, 0x0000],
  ['1023.5 × 2^-24, halfway to the smallest normal: ties to even 0x0400', 1023.5 * 2 ** -24, 0x0400],
  ['1 + 2^-11, halfway between 1 and 1 + 2^-10: ties to even 1', 1 + 2 ** -11, 0x3c00],
  ['1 + 3 × 2^-11, halfway: ties to even 1 + 2^-9', 1 + 3 * 2 ** -11, 0x3c02],
  ['1 + 2^-11 + 2^-40 (float32 first would make it a tie and round down)', 1 + 2 ** -11 + 2 ** -40, 0x3c01],
  ['2 − 2^-12: rounds up, carrying into the exponent', 2 - 2 ** -12, 0x4000],
  ['1/3', 1 / 3, 0x3555],
  ['0.1', 0.1, 0x2e66],
  ['π', Math.PI, 0x4248],
  ['-123.456', -123.456, 0xd7b7],
])('%s', (_what, v, bits) => {
  expect(toHalf(v)).toBe(bits);
});

it('reads every half back to the same bits (all 65,536 patterns; NaNs as 0x7E00)', () => {
  for (let h = 0; h <= 0xffff; h++) {
    const v = fromHalf(h);
    const isNaN = (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
    expect([h, toHalf(v)]).toEqual([h, isNaN ? 0x7e00 : h]);
  }
});

it('decodes known patterns', () => {
  expect([0x3c00, 0x7bff, 0x0001, 0x0400, 0x8000, 0x7c00, 0xfc00].map(fromHalf)).toEqual([1, 65504, 2 ** -24, 2 ** -14, -0, Infinity, -Infinity]);
  expect(fromHalf(0x7e00)).toBeNaN();
});

it('an FP16 output goes out in binary as little-endian halves', () => {
  const bytes = encodeBinaryOutput({ name: 'y', datatype: 'FP16', shape: [5], data: [1, 65504, 70000, 2 ** -24, -0.1] });
  expect(Array.from(new Uint16Array(new Uint8Array(bytes).buffer))).toEqual([0x3c00, 0x7bff, 0x7c00, 0x0001, 0xae66]);
  expect(Buffer.from(bytes).toString('hex')).toBe('003cff7b007c010066ae');
});
