/**
 * A compact text form of a set of row indexes: ascending runs as `start-end`, single rows as
 * themselves, comma-separated (`0-3,7,9-12`). A shuffled 20 % test split of n rows takes about
 * as many characters as the indexes themselves; a fixed (ordered) split is one range.
 */

/** @param sorted ascending, distinct, non-negative integers. */
export function encodeRanges(sorted: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The inverse of {@link encodeRanges}; '' gives []. @throws Error for text it did not write. */
export function decodeRanges(text: string): number[] {
  if (text === '') return [];
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`Not a row range: '${part.slice(0, 40)}'`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let k = from; k <= to; k++) out.push(k);
  }
  return out;
}
