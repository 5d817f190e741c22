/**
 * Fitting and applying each step on one column's values. Values are numbers (Float64Array,
 * NaN = missing) or strings (null = missing). Scaling statistics follow stats.ts (population std;
 * a constant column's std and range count as 1, so it passes through centred).
 */
import { moments, quantileSorted, sortedPresent } from '../data/stats';
import { fitVocabulary, writeTextBlock } from './text';
import { fitSequenceVocabulary, SEQUENCE_DEFAULTS, writeSequenceBlock } from './token-sequence';
import type { FittedStep, StepSpec } from './types';

/** One column's values on some rows: numbers (NaN = missing) or strings (null = missing). */
export type Values = Float64Array | (string | null)[];

const isNumeric = (v: Values): v is Float64Array => v instanceof Float64Array;

/** Values as category strings (numbers as JavaScript prints them). */
export function asStrings(v: Values): (string | null)[] {
  return isNumeric(v) ? Array.from(v, (x) => (Number.isNaN(x) ? null : String(x))) : v;
}

/** The most frequent string (ties: the smallest), or undefined when all are missing. */
export function mode(values: (string | null)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const s of values) if (s !== null) counts.set(s, (counts.get(s) ?? 0) + 1);
  let best: string | undefined;
  for (const [s, c] of counts) {
    const b = best === undefined ? 0 : counts.get(best)!;
    if (c > b || (c === b && best !== undefined && s < best)) best = s;
  }
  return best;
}

function byFrequency(values: (string | null)[], max: number): string[] {
  const counts = new Map<string, number>();
  for (const s of values) if (s !== null) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0)).slice(0, max);
}

/** Fits `step` on the training values of one column. */
export function fitStep(step: StepSpec, v: Values): FittedStep {
  switch (step.op) {
    case 'impute': {
      const strategy = step.strategy ?? 'mean';
      if (!isNumeric(v)) return { op: 'impute', value: strategy === 'constant' ? (step.fillValue ?? 'missing') : (mode(v) ?? 'missing') };
      if (strategy === 'constant') return { op: 'impute', value: Number(step.fillValue ?? 0) };
      const sorted = sortedPresent(v);
      if (sorted.length === 0) return { op: 'impute', value: 0 };
      if (strategy === 'median') return { op: 'impute', value: quantileSorted(sorted, 0.5) };
      if (strategy === 'most_frequent') return { op: 'impute', value: Number(mode(asStrings(sorted))) };
      return { op: 'impute', value: moments(sorted).mean };
    }
    case 'clip': {
      const values = v as Float64Array;
      if ((step.method ?? 'quantile') === 'quantile') {
        const sorted = sortedPresent(values);
        return { op: 'clip', lower: quantileSorted(sorted, step.lower ?? 0.01), upper: quantileSorted(sorted, step.upper ?? 0.99) };
      }
      const { mean, std } = moments(values);
      const t = step.threshold ?? 3;
      return { op: 'clip', lower: mean - t * std, upper: mean + t * std };
    }
    case 'standardize': {
      const { mean, std } = moments(v as Float64Array);
      return { op: 'standardize', mean: Number.isNaN(mean) ? 0 : mean, std: std > 0 ? std : 1 };
    }
    case 'min_max_scale': {
      const sorted = sortedPresent(v as Float64Array);
      return { op: 'min_max_scale', min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 1 };
    }
    case 'one_hot':
      return { op: 'one_hot', categories: byFrequency(asStrings(v), step.maxCategories ?? 50) };
    case 'bucketize': {
      if (step.boundaries) return { op: 'bucketize', boundaries: [...step.boundaries] };
      const sorted = sortedPresent(v as Float64Array);
      const bins = step.bins ?? 5;
      const cuts = Array.from({ length: bins - 1 }, (_, k) => quantileSorted(sorted, (k + 1) / bins)).filter(Number.isFinite);
      return { op: 'bucketize', boundaries: [...new Set(cuts)] };
    }
    case 'token_counts':
      return { op: 'token_counts', vocabulary: fitVocabulary(asStrings(v), step.maxTokens ?? 100).vocabulary };
    case 'tf_idf':
      return { op: 'tf_idf', ...fitVocabulary(asStrings(v), step.maxTokens ?? 100) };
    case 'token_sequence':
      return {
        op: 'token_sequence',
        vocabulary: fitSequenceVocabulary(asStrings(v), step.maxTokens ?? SEQUENCE_DEFAULTS.maxTokens),
        sequenceLength: step.sequenceLength ?? SEQUENCE_DEFAULTS.sequenceLength,
      };
  }
}

/** Applies a non-encoding step (impute, clip, scale) to all values. */
export function applyValueStep(step: FittedStep, v: Values): Values {
  if (step.op === 'impute' && !isNumeric(v)) return v.map((s) => s ?? String(step.value));
  const x = v as Float64Array;
  const out = new Float64Array(x.length); // a plain loop: TypedArray#map is slow in V8
  for (let i = 0; i < x.length; i++) out[i] = applyNumericStep(step, x[i]);
  return out;
}

/**
 * One number through a non-encoding step of a numeric column (impute replaces NaN, clip, standardize,
 * min-max scale); what {@link applyValueStep} does to each value.
 * @throws Error for an encoding step.
 */
export function applyNumericStep(step: FittedStep, a: number): number {
  switch (step.op) {
    case 'impute':
      return Number.isNaN(a) ? (step.value as number) : a;
    case 'clip':
      return a < step.lower ? step.lower : a > step.upper ? step.upper : a;
    case 'standardize':
      return (a - step.mean) / step.std;
    case 'min_max_scale':
      return (a - step.min) / (step.max - step.min || 1);
    default:
      throw new Error(`not a value step: ${step.op}`);
  }
}

/** Model inputs an encoding step yields, named after the column. */
export function encodedNames(step: FittedStep, column: string): string[] {
  switch (step.op) {
    case 'one_hot':
      return step.categories.map((c) => `${column}=${c}`);
    case 'bucketize': {
      const b = step.boundaries;
      return Array.from({ length: b.length + 1 }, (_, k) => (k === 0 ? `${column}<${b[0]}` : k === b.length ? `${column}>=${b[k - 1]}` : `${column}[${b[k - 1]},${b[k]})`));
    }
    case 'token_counts':
    case 'tf_idf':
      return step.vocabulary.map((t) => `${column}:${t}`);
    case 'token_sequence':
      return Array.from({ length: step.sequenceLength }, (_, k) => `${column}[${k}]`);
    default:
      return [column];
  }
}

/**
 * Writes a column's final values into the model-input matrix.
 * @param out row-major [rows, width]; the column's block starts at `offset`.
 * @param encoder the column's encoding step, if any. Unknown or missing categories and missing
 *   bucketized values are all zeros.
 */
export function writeBlock(v: Values, encoder: FittedStep | undefined, out: Float32Array, width: number, offset: number): void {
  const rows = v.length;
  if (!encoder) {
    const x = v as Float64Array;
    for (let i = 0; i < rows; i++) out[i * width + offset] = x[i];
  } else if (encoder.op === 'one_hot') {
    const index = new Map(encoder.categories.map((c, k) => [c, k]));
    asStrings(v).forEach((s, i) => {
      const k = s === null ? undefined : index.get(s);
      if (k !== undefined) out[i * width + offset + k] = 1;
    });
  } else if (encoder.op === 'bucketize') {
    const b = encoder.boundaries;
    const x = v as Float64Array;
    for (let i = 0; i < rows; i++) {
      if (Number.isNaN(x[i])) continue;
      let k = 0;
      while (k < b.length && x[i] >= b[k]) k++;
      out[i * width + offset + k] = 1;
    }
  } else if (encoder.op === 'token_counts' || encoder.op === 'tf_idf') {
    writeTextBlock(asStrings(v), encoder.vocabulary, encoder.op === 'tf_idf' ? encoder.idf : undefined, out, width, offset);
  } else if (encoder.op === 'token_sequence') {
    writeSequenceBlock(asStrings(v), encoder.vocabulary, encoder.sequenceLength, out, width, offset);
  } else if (encoder.op === 'id_index') {
    const index = idIndex(encoder);
    asStrings(v).forEach((s, i) => (out[i * width + offset] = s === null ? -1 : (index.get(s) ?? -1)));
  }
}

const ID_INDEXES = new WeakMap<object, Map<string, number>>();

/** An `id_index` step's id -> index map, built once per fitted step. */
export function idIndex(step: { ids: string[] }): Map<string, number> {
  let index = ID_INDEXES.get(step);
  if (!index) {
    index = new Map(step.ids.map((id, k) => [id, k]));
    ID_INDEXES.set(step, index);
  }
  return index;
}

export const isEncoder = (s: FittedStep) =>
  s.op === 'one_hot' || s.op === 'bucketize' || s.op === 'token_counts' || s.op === 'tf_idf' || s.op === 'token_sequence' || s.op === 'id_index';
