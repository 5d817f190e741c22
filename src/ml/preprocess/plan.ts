/**
 * From declared steps to one chain of steps per feature column, checked before anything is fitted
 * (at request time against the dataset's profile, and again at training time against the data).
 *
 * Rules:
 * - A step without `columns` applies to every feature column of the types it takes by default:
 *   IMPUTE MEAN/MEDIAN, CLIP, STANDARDIZE, MIN_MAX_SCALE, BUCKETIZE -> numeric and datetime;
 *   IMPUTE MOST_FREQUENT -> all but text; IMPUTE CONSTANT -> every type (string columns only when
 *   the constant is not a number);
 *   ONE_HOT -> categorical and boolean; TOKEN_COUNTS, TF_IDF -> text; TOKEN_SEQUENCE -> text and
 *   categorical. An IMPUTE without columns
 *   skips columns an earlier IMPUTE already covers.
 * - Named columns may be of any type the op can take: ONE_HOT also takes numeric columns (values
 *   as categories), TOKEN_COUNTS/TF_IDF/TOKEN_SEQUENCE also categorical ones.
 * - ONE_HOT, BUCKETIZE, TOKEN_COUNTS, TF_IDF and TOKEN_SEQUENCE encode a column: nothing may follow them on it.
 * - Every categorical, boolean and text column must end encoded. A numeric or datetime column with
 *   no IMPUTE step is imputed with its training mean first, so a missing value never reaches a model.
 *
 * The default pipeline (no `steps`): impute mean (numeric) and most frequent (categorical),
 * one-hot categoricals, TF-IDF for text, then standardise numerics when `standardize` is set.
 */
import { badInput, notFinite } from '../../lib/errors';
import type { ColumnType } from '../data/infer-type';
import { SEQUENCE_DEFAULTS } from './token-sequence';
import type { StepOp, StepSpec } from './types';

export interface PlannedColumn {
  name: string;
  type: ColumnType;
  steps: StepSpec[];
}

const NUMERIC: ColumnType[] = ['numeric', 'datetime'];
const STRINGS: ColumnType[] = ['categorical', 'boolean'];
const ENCODERS: StepOp[] = ['one_hot', 'bucketize', 'token_counts', 'tf_idf', 'token_sequence'];

/** Types an op takes when columns are named, and (second) those it picks when they are not. */
function accepts(step: StepSpec): [ColumnType[], ColumnType[]] {
  switch (step.op) {
    case 'impute': {
      if (step.strategy === 'mean' || step.strategy === 'median' || !step.strategy) return [NUMERIC, NUMERIC];
      const all: ColumnType[] = [...NUMERIC, ...STRINGS, 'text'];
      const numericFill = step.strategy !== 'constant' || step.fillValue == null || Number.isFinite(Number(step.fillValue));
      // Implicitly, the most frequent document is no sensible value for a text column.
      if (step.strategy === 'most_frequent') return [all, [...NUMERIC, ...STRINGS]];
      return [all, numericFill ? all : [...STRINGS, 'text']];
    }
    case 'one_hot':
      return [[...STRINGS, 'numeric'], STRINGS];
    case 'token_counts':
    case 'tf_idf':
      return [['text', 'categorical'], ['text']];
    case 'token_sequence':
      // A text model's one column may hold short texts, typed categorical (< 3 words a cell).
      return [
        ['text', 'categorical'],
        ['text', 'categorical'],
      ];
    default:
      return [NUMERIC, NUMERIC];
  }
}

/** The pipeline used when the spec declares no steps. */
export function defaultSteps(standardize: boolean): StepSpec[] {
  return [
    { op: 'impute', strategy: 'mean' },
    { op: 'impute', strategy: 'most_frequent' },
    { op: 'one_hot' },
    { op: 'tf_idf' },
    ...(standardize ? [{ op: 'standardize' as const }] : []),
  ];
}

const OP_NAME = (op: StepOp) => op.toUpperCase();

/**
 * Checks the fields of each step that do not depend on the data.
 * @throws AppError BAD_USER_INPUT naming `spec.preprocessing.steps[i].<field>` and its value.
 */
export function checkStepFields(steps: StepSpec[]): void {
  steps.forEach((s, i) => {
    const at = `spec.preprocessing.steps[${i}]`;
    const range = (field: keyof StepSpec, lo: number, hi: number, integer = false) => {
      const v = s[field] as number | null | undefined;
      if (v == null) return;
      if (!Number.isFinite(v)) throw notFinite(`${at}.${field}`, v);
      if (v < lo || v > hi || (integer && !Number.isInteger(v))) {
        throw badInput(`${at}.${field} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], got ${v}`);
      }
    };
    range('lower', 0, 1);
    range('upper', 0, 1);
    if ((s.lower ?? 0.01) >= (s.upper ?? 0.99)) throw badInput(`${at}.lower (${s.lower ?? 0.01}) must be below ${at}.upper (${s.upper ?? 0.99})`);
    range('threshold', 0.1, 100);
    range('bins', 2, 100, true);
    range('maxCategories', 1, 1000, true);
    range('maxTokens', 1, 10_000, true);
    range('sequenceLength', 1, 1000, true);
    if (s.sequenceLength != null && s.op !== 'token_sequence') throw badInput(`${at}.sequenceLength is for TOKEN_SEQUENCE steps; step ${i} is ${OP_NAME(s.op)}`);
    if (s.boundaries) {
      if (s.boundaries.length === 0 || s.boundaries.some((b, k) => !Number.isFinite(b) || (k > 0 && b <= s.boundaries![k - 1]))) {
        const shown = s.boundaries.length > 10 ? `${s.boundaries.slice(0, 10).join(', ')}, ... (${s.boundaries.length} values)` : s.boundaries.join(', ');
        throw badInput(`${at}.boundaries must be finite and strictly ascending, got [${shown}]`);
      }
    }
    if (s.columns && s.columns.length === 0) throw badInput(`${at}.columns is empty; leave it out to apply ${OP_NAME(s.op)} to every column it takes`);
  });
}

/**
 * Builds each feature column's chain.
 * @param features feature columns in order, with their types.
 * @throws AppError BAD_USER_INPUT naming the step for an unknown column, a column of a type the op
 *   cannot take, a step after an encoding, a non-numeric constant for a numeric column, or a
 *   string column left unencoded.
 */
export function planPipeline(features: { name: string; type: ColumnType }[], steps: StepSpec[]): PlannedColumn[] {
  checkStepFields(steps);
  const byName = new Map(features.map((f) => [f.name, { ...f, steps: [] as StepSpec[], encodedBy: -1 }]));
  steps.forEach((step, i) => {
    const at = `spec.preprocessing.steps[${i}]`;
    const [named, implicit] = accepts(step);
    const targets = step.columns
      ? [...new Set(step.columns)].map((name) => {
          const col = byName.get(name);
          if (!col) throw badInput(`${at}.columns names '${name}', which is not a feature column; features are ${features.map((f) => f.name).join(', ')}`);
          if (!named.includes(col.type))
            throw badInput(`${at} (${OP_NAME(step.op)}${step.strategy ? ` ${step.strategy.toUpperCase()}` : ''}) cannot apply to column '${name}', which is ${col.type}`);
          if (col.encodedBy >= 0) throw badInput(`${at} (${OP_NAME(step.op)}) comes after column '${name}' was encoded by spec.preprocessing.steps[${col.encodedBy}]`);
          return col;
        })
      : [...byName.values()].filter((c) => implicit.includes(c.type) && c.encodedBy < 0 && !(step.op === 'impute' && c.steps.some((s) => s.op === 'impute')));
    for (const col of targets) {
      if (step.op === 'impute' && step.strategy === 'constant' && NUMERIC.includes(col.type) && step.fillValue != null && !Number.isFinite(Number(step.fillValue))) {
        throw badInput(`${at}.fillValue must be a number for ${col.type} column '${col.name}', got '${step.fillValue}'`);
      }
      col.steps.push(step);
      if (ENCODERS.includes(step.op)) col.encodedBy = i;
    }
  });
  return features.map((f) => {
    const col = byName.get(f.name)!;
    if (!NUMERIC.includes(col.type) && col.encodedBy < 0) {
      const add = col.type === 'text' ? 'TF_IDF or TOKEN_COUNTS' : 'ONE_HOT';
      throw badInput(`spec.preprocessing: feature column '${col.name}' is ${col.type} and no step encodes it; add a ${add} step for it`);
    }
    // One-hot of a numeric column encodes a missing value as all zeros, like an unknown category.
    const implicitImpute = NUMERIC.includes(col.type) && !col.steps.some((s) => s.op === 'impute' || s.op === 'one_hot');
    const steps = implicitImpute ? [{ op: 'impute', strategy: 'mean' } as StepSpec, ...col.steps] : col.steps;
    return { name: col.name, type: col.type, steps };
  });
}

/** Model inputs a planned column yields when that is known without the data, else undefined. */
export function plannedWidth(col: PlannedColumn): number | undefined {
  const encoder = col.steps.find((s) => ENCODERS.includes(s.op));
  if (!encoder) return 1;
  if (encoder.op === 'bucketize' && encoder.boundaries) return encoder.boundaries.length + 1;
  if (encoder.op === 'token_sequence') return encoder.sequenceLength ?? SEQUENCE_DEFAULTS.sequenceLength;
  return undefined;
}
