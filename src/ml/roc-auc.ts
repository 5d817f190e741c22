/**
 * The area under the ROC curve of binary scores, on its own so both the test metrics
 * (./evaluate.ts) and the curves (./test-curves.ts) use it without importing each other.
 */

/** Mann-Whitney U / (n+ · n−), with tied scores given their average rank. Undefined with one class. */
export function rocAuc(scores: ArrayLike<number>, actual: ArrayLike<number>): number | undefined {
  const n = actual.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    for (let t = i; t <= j; t++) ranks[order[t]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; i++) {
    if (actual[i] === 1) {
      pos++;
      rankSum += ranks[i];
    }
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return undefined;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}
