/**
 * The tokenizer of text models (Keras' `TextVectorization(output_mode='int')`): lower-cased tokens
 * split on every character that is not a letter or a digit (Unicode-aware, so `Zürich` and `日本`
 * stay whole), a vocabulary of the `maxTokens` most frequent tokens of the TRAINING split (ties by
 * token), and each text as a fixed-length sequence of token ids.
 *
 * Ids: 0 = padding, 1 = out of vocabulary (OOV), 2 + k = vocabulary[k]. A text longer than
 * `sequenceLength` tokens keeps its first `sequenceLength`; a shorter one is padded at the end.
 * The fitted step (vocabulary + length) is stored in the version's pipeline, so serving tokenizes
 * exactly as training did.
 */

import { wordTokens } from '../data/tokens';
import type { FittedColumn, FittedPipeline, FittedStep } from './types';

/** Id of the padding after a text's last token. */
export const PAD_ID = 0;
/** Id of a token the vocabulary does not hold. */
export const OOV_ID = 1;
/** Id of vocabulary[0]; vocabulary[k] is FIRST_TOKEN_ID + k. */
export const FIRST_TOKEN_ID = 2;

/** Defaults of the TOKEN_SEQUENCE step. */
export const SEQUENCE_DEFAULTS = {
  /** Vocabulary size cap, tokens. */
  maxTokens: 5000,
  /** Tokens per text, after padding or truncation. SMS Spam Collection: median 13, 95th percentile 33, max 190 tokens. */
  sequenceLength: 64,
};

/** Lower-cased tokens of `text`, in order (none for null); see ../data/tokens.ts. */
export const sequenceTokens = wordTokens;

/** The `maxTokens` most frequent tokens of `docs` (the training split), most frequent first, ties by token. */
export function fitSequenceVocabulary(docs: (string | null)[], maxTokens: number): string[] {
  const counts = new Map<string, number>();
  for (const doc of docs) for (const t of sequenceTokens(doc)) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0)).slice(0, maxTokens);
}

/** token -> id, for a fitted vocabulary. */
export function tokenIndex(vocabulary: string[]): Map<string, number> {
  return new Map(vocabulary.map((t, k) => [t, FIRST_TOKEN_ID + k]));
}

/** One token's id: its vocabulary id, or OOV_ID. */
export const tokenId = (index: Map<string, number>, token: string) => index.get(token) ?? OOV_ID;

/**
 * Writes each document's token ids into `out`, padded with PAD_ID or truncated to `sequenceLength`.
 * @param out row-major [docs, width]; this block starts at column `offset` and is `sequenceLength` wide.
 */
export function writeSequenceBlock(docs: (string | null)[], vocabulary: string[], sequenceLength: number, out: Float32Array, width: number, offset: number): void {
  const index = tokenIndex(vocabulary);
  docs.forEach((doc, i) => {
    const tokens = sequenceTokens(doc);
    const n = Math.min(tokens.length, sequenceLength);
    for (let k = 0; k < n; k++) out[i * width + offset + k] = tokenId(index, tokens[k]);
    // The rest of the row stays PAD_ID (0): `out` starts zeroed.
  });
}

/** A pipeline's token-sequence column: the column and its fitted step. */
export interface SequenceColumn {
  column: FittedColumn;
  step: Extract<FittedStep, { op: 'token_sequence' }>;
}

/**
 * The pipeline's one feature column encoded by TOKEN_SEQUENCE, when that is its only feature
 * column (the `tokens` input format); undefined otherwise.
 */
export function sequenceColumn(pipeline: FittedPipeline): SequenceColumn | undefined {
  if (pipeline.columns.length !== 1) return undefined;
  const column = pipeline.columns[0];
  const step = column.steps.find((s) => s.op === 'token_sequence');
  return step?.op === 'token_sequence' ? { column, step } : undefined;
}
