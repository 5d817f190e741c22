/**
 * IEEE 754-2008 binary16 ("half", the V2 datatype FP16, ONNX float16) as 16-bit patterns:
 * 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits. Largest finite 65504 (0x7BFF), smallest
 * normal 2^-14 (0x0400), smallest subnormal 2^-24 (0x0001). Node 20 has no Float16Array or
 * Math.f16round (they arrive in later V8s), hence these two functions.
 */

const TWO_POW_24 = 2 ** 24;

/** Rounds to an integer, ties to the even one (IEEE 754's default rounding). Exact for |x| < 2^52. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * number → binary16 bit pattern, rounded to nearest, ties to even, from the double itself (not
 * through float32 first, which would round twice: 1 + 2^-11 + 2^-40 is 0x3C01, not 0x3C00).
 * Past the largest finite half (|v| ≥ 65520, the midpoint to 2^16) → ±Infinity (0x7C00 / 0xFC00);
 * a magnitude of at most 2^-25 → ±0; NaN → 0x7E00 (a quiet NaN). The sign of -0 is kept.
 * @returns an integer in [0, 0xFFFF].
 */
export function toHalf(v: number): number {
  if (Number.isNaN(v)) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a >= 65520) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | roundHalfEven(a * TWO_POW_24); // subnormal: units of 2^-24 (1024 of them is 0x0400, the smallest normal)
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a)
    e--; // log2 may be off by one next to a power of two
  else if (2 ** (e + 1) <= a) e++;
  let m = roundHalfEven(a * 2 ** (10 - e)); // in [1024, 2048]: the significand with its leading 1
  if (m === 2048) {
    m = 1024;
    e++;
  }
  return sign | ((e + 15) << 10) | (m - 1024);
}

/** binary16 bit pattern → number (exact: every half is a double). */
export function fromHalf(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}
