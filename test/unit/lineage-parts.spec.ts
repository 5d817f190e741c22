/**
 * The pure parts of lineage and version warnings: the test-row range encoding
 * (src/ml/row-ranges.ts), the dataset checksum (src/ml/data/checksum.ts) and every warning rule
 * (src/ml/version-warnings.ts) at and around its threshold.
 */
import { createHash } from 'node:crypto';
import { contentChecksum } from '../../src/ml/data/checksum';
import type { EvaluationMetrics } from '../../src/ml/evaluate';
import { decodeRanges, encodeRanges } from '../../src/ml/row-ranges';
import { splitRows } from '../../src/ml/random';
import { summarizeOutputs, versionWarnings } from '../../src/ml/version-warnings';

describe('row ranges', () => {
  it('writes runs as start-end and single rows as themselves, and reads them back', () => {
    expect(encodeRanges([0, 1, 2, 3, 7, 9, 10, 11, 12])).toBe('0-3,7,9-12');
    expect(decodeRanges('0-3,7,9-12')).toEqual([0, 1, 2, 3, 7, 9, 10, 11, 12]);
    expect(encodeRanges([])).toBe('');
    expect(decodeRanges('')).toEqual([]);
  });

  it('round-trips a seeded 20 % test split of 768 rows', () => {
    const test = splitRows(768, 0.2, 0, 42).test.sort((a, b) => a - b);
    expect(test).toHaveLength(154);
    expect(decodeRanges(encodeRanges(test))).toEqual(test);
  });

  it('refuses text it did not write', () => {
    expect(() => decodeRanges('1,x')).toThrow("Not a row range: 'x'");
  });
});

it('checksums bytes as sha256 hex, as Postgres encode(sha256(content), hex)', () => {
  const bytes = Buffer.from('a,b\n1,2\n');
  expect(contentChecksum(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
  expect(contentChecksum(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

describe('version warnings', () => {
  const binary = (rocAuc: number): EvaluationMetrics => ({ task: 'binary', testRows: 10, rocAuc });
  const varied = summarizeOutputs(Float32Array.from([0.1, 0.9]), 1, Float32Array.from([0, 1, 1]));

  it('summarises outputs and labels', () => {
    expect(varied).toEqual({ spread: Math.fround(0.9) - Math.fround(0.1), rows: 2, zeroOneTarget: true });
    expect(summarizeOutputs(Float32Array.from([3, 3, 3]), 1, Float32Array.from([0, 1, 2]))).toEqual({ spread: 0, rows: 3, zeroOneTarget: false });
    expect(summarizeOutputs(Float32Array.from([1]), 1, Float32Array.from([1, 1])).zeroOneTarget).toBe(false); // one class only
    // Multiclass: the same probabilities for every row are constant, although they differ between classes.
    expect(summarizeOutputs(Float32Array.from([0.2, 0.8, 0.2, 0.8]), 2, Float32Array.from([0, 1])).spread).toBe(0);
    expect(summarizeOutputs(Float32Array.from([0.2, 0.8, 0.3, 0.7]), 2, Float32Array.from([0, 1])).spread).toBeCloseTo(0.1, 6);
  });

  it('flags an AUC within 0.02 of 0.5 (both sides), not 0.021 away', () => {
    expect(versionWarnings(binary(0.52), varied, 'binary_crossentropy')).toEqual(['CHANCE_AUC: test ROC AUC 0.52 is within 0.02 of 0.5, no better than chance']);
    expect(versionWarnings(binary(0.48), varied, 'binary_crossentropy')).toHaveLength(1);
    expect(versionWarnings(binary(0.521), varied, 'binary_crossentropy')).toEqual([]);
  });

  it('flags R² below 0 and a regression on a 0/1 target', () => {
    const metrics: EvaluationMetrics = { task: 'regression', testRows: 10, r2: -0.03 };
    expect(versionWarnings(metrics, varied, 'mean_squared_error')).toEqual([
      'NEGATIVE_R2: test R² -0.03 is below 0, worse than predicting the mean',
      'LOSS_TARGET_MISMATCH: the target holds only 0 and 1 but loss MEAN_SQUARED_ERROR trains a regression; for a classifier choose loss BINARY_CROSSENTROPY with a SIGMOID output (trees: task BINARY)',
    ]);
    expect(versionWarnings({ ...metrics, r2: 0 }, { ...varied, zeroOneTarget: false }, 'mean_squared_error')).toEqual([]);
  });

  it('flags constant outputs over more than one test row', () => {
    const constant = summarizeOutputs(Float32Array.from([0.3, 0.3, 0.3]), 1, Float32Array.from([0, 1]));
    expect(versionWarnings({ task: 'binary', testRows: 3 }, constant, undefined)[0]).toMatch(/^CONSTANT_PREDICTIONS: /);
    expect(versionWarnings({ task: 'binary', testRows: 1 }, { ...constant, rows: 1 }, undefined)).toEqual([]);
  });
});
