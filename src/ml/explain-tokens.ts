/**
 * Per-token attributions for text models (a pipeline whose one feature column is a TOKEN_SEQUENCE):
 * leave-one-out (occlusion) over the tokens the model reads. Token k's attribution is the explained
 * output of the whole text minus that of the text without token k (the rest re-tokenized, so a
 * token past the sequence length may move in), in log-odds for classification
 * (ln p / (1 − p), p clamped to [1e-7, 1 − 1e-7]) so that confident predictions still show which
 * words carry them; regression: in the target's units. One batch of (tokens + 1) rows per text.
 *
 * Reference: leave-one-out / occlusion explanations of text classifiers (e.g. Li, Monroe &
 * Jurafsky 2016, "Understanding Neural Networks through Representation Erasure").
 *
 * What is echoed is bounded (issue 10): each token is cut to {@link MAX_ECHOED_TOKEN_CHARS} code
 * points (a 1 MB run of letters is one token), and a text yields at most `sequenceLength` (≤ 1,000,
 * the spec's cap) tokens, the rest counted in `truncated`; rows per call are MAX_EXPLAIN_ROWS.
 */
import type { Scorer } from './families/model-family';
import { sequenceColumn, sequenceTokens, tokenId, tokenIndex, OOV_ID } from './preprocess/token-sequence';
import type { FittedPipeline } from './preprocess/types';

/** One token of an explained text. */
export interface TokenAttribution {
  /** The token, lower-cased as the tokenizer reads it; past {@link MAX_ECHOED_TOKEN_CHARS} code points, cut there and ended with `…` (never part of a token). */
  token: string;
  /** 0-based position among the text's tokens. */
  position: number;
  /** Whether the vocabulary holds it (else the model reads it as out-of-vocabulary). */
  known: boolean;
  /** Explained output of the text minus that of the text without this token (log-odds, or target units). */
  attribution: number;
}

/** Token attributions of one text. */
export interface TokenExplanation {
  /** The text column. */
  column: string;
  /** What the attributions are in: 'log-odds' (classification) or 'value' (regression). */
  unit: 'log-odds' | 'value';
  /** Tokens the model reads (the first sequenceLength), in text order. */
  tokens: TokenAttribution[];
  /** Tokens after the sequence length, which the model does not read. */
  truncated: number;
}

/** Model evaluations token explanations take per text (at most): sequenceLength + 1; 0 without a token column. */
export function tokenEvaluationsPerRow(pipeline: FittedPipeline): number {
  const found = sequenceColumn(pipeline);
  return found ? found.step.sequenceLength + 1 : 0;
}

/** Code points of a token echoed in an explanation; longer ones are cut and end with `…`. Longer than any word of a natural language. */
export const MAX_ECHOED_TOKEN_CHARS = 64;

/** `token` as echoed: whole, or its first {@link MAX_ECHOED_TOKEN_CHARS} code points and `…` (a surrogate pair is never split). */
export function echoedToken(token: string): string {
  if (token.length <= MAX_ECHOED_TOKEN_CHARS) return token;
  let out = '';
  let n = 0;
  for (const c of token) {
    if (n++ === MAX_ECHOED_TOKEN_CHARS) return `${out}…`;
    out += c;
  }
  return out;
}

const EPS = 1e-7;
const logOdds = (p: number) => {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
};

/**
 * @param texts one text per explained row (null = missing: no tokens).
 * @param units per row, the output unit explained: 0 for binary (P(classes[1])) and regression,
 *   the predicted class for multiclass.
 * @returns one explanation per text, or undefined when the pipeline has no token-sequence column.
 */
export function explainTokens(scorer: Scorer, pipeline: FittedPipeline, texts: (string | null)[], units: number[]): TokenExplanation[] | undefined {
  const found = sequenceColumn(pipeline);
  if (!found) return undefined;
  const { column, step } = found;
  const length = step.sequenceLength;
  const index = tokenIndex(step.vocabulary);
  const outputs = scorer.outputShape.reduce((a, b) => a * b, 1);
  const regression = pipeline.target.task === 'regression';
  return texts.map((text, r) => {
    const tokens = sequenceTokens(text);
    const read = Math.min(tokens.length, length);
    const ids = tokens.map((t) => tokenId(index, t));
    // Row 0: the whole text; row 1 + k: without token k.
    const x = new Float32Array((read + 1) * length);
    const write = (row: number, skip: number) => {
      let at = 0;
      for (let k = 0; k < ids.length && at < length; k++) if (k !== skip) x[row * length + at++] = ids[k];
    };
    write(0, -1);
    for (let k = 0; k < read; k++) write(k + 1, k);
    const out = scorer.score(x, read + 1);
    const value = (row: number) => {
      const v = out[row * outputs + units[r]];
      return regression ? v : logOdds(v);
    };
    const whole = value(0);
    return {
      column: column.name,
      unit: regression ? 'value' : 'log-odds',
      tokens: tokens.slice(0, read).map((token, k) => ({ token: echoedToken(token), position: k, known: ids[k] !== OOV_ID, attribution: whole - value(k + 1) })),
      truncated: tokens.length - read,
    };
  });
}
