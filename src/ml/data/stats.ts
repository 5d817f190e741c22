/**
 * Descriptive statistics over numbers with NaN as missing. Definitions follow NumPy:
 * population standard deviation (ddof = 0), quantiles by linear interpolation (numpy.quantile's
 * default "linear" method, Hyndman & Fan type 7), Pearson's r (numpy.corrcoef) on pairwise
 * complete rows.
 */

/** The non-missing values, sorted ascending. */
export function sortedPresent(values: ArrayLike<number>, rows?: ArrayLike<number>): Float64Array {
  const n = rows ? rows.length : values.length;
  const out = new Float64Array(n);
  let k = 0;
  for (let t = 0; t < n; t++) {
    const v = values[rows ? rows[t] : t];
    if (!Number.isNaN(v)) out[k++] = v;
  }
  return out.subarray(0, k).sort();
}

/** Quantile `q` in [0, 1] of sorted values (linear interpolation); NaN when there are none. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export interface Moments {
  count: number;
  mean: number;
  /** Population standard deviation. */
  std: number;
}

/** Mean and population standard deviation of the non-missing values (two passes, for accuracy). */
export function moments(values: ArrayLike<number>, rows?: ArrayLike<number>): Moments {
  const n = rows ? rows.length : values.length;
  let count = 0;
  let sum = 0;
  for (let t = 0; t < n; t++) {
    const v = values[rows ? rows[t] : t];
    if (!Number.isNaN(v)) {
      sum += v;
      count++;
    }
  }
  const mean = count > 0 ? sum / count : NaN;
  let ss = 0;
  for (let t = 0; t < n; t++) {
    const v = values[rows ? rows[t] : t];
    if (!Number.isNaN(v)) ss += (v - mean) ** 2;
  }
  return { count, mean, std: count > 0 ? Math.sqrt(ss / count) : NaN };
}

export interface HistogramBin {
  /** Inclusive lower edge. */
  lower: number;
  /** Exclusive upper edge (inclusive for the last bin, as numpy.histogram). */
  upper: number;
  count: number;
}

/** `bins` equal-width bins from min to max of sorted values (one bin when all are equal). */
export function histogramSorted(sorted: ArrayLike<number>, bins = 10): HistogramBin[] {
  const n = sorted.length;
  if (n === 0) return [];
  const min = sorted[0];
  const max = sorted[n - 1];
  if (min === max) return [{ lower: min, upper: max, count: n }];
  const width = (max - min) / bins;
  const out: HistogramBin[] = Array.from({ length: bins }, (_, b) => ({
    lower: min + b * width,
    upper: b === bins - 1 ? max : min + (b + 1) * width,
    count: 0,
  }));
  for (let t = 0; t < n; t++) out[Math.min(bins - 1, Math.floor((sorted[t] - min) / width))].count++;
  return out;
}

/** Pearson's r over the rows where both are present; undefined when fewer than 2 or a constant. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): { r: number | undefined; rows: number } {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    n++;
    sx += x[i];
    sy += y[i];
  }
  if (n < 2) return { r: undefined, rows: n };
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return { r: sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : undefined, rows: n };
}
