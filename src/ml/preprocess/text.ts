/**
 * Simple text features, as scikit-learn's CountVectorizer / TfidfVectorizer with their defaults:
 * lower-cased tokens of 2 or more letters or digits (token_pattern `(?u)\b\w\w+\b`), a vocabulary
 * of the `maxTokens` most frequent tokens over the training split (ties by token), smooth IDF
 * `ln((1 + n) / (1 + df)) + 1`, and TF-IDF rows scaled to unit L2 norm.
 */
const TOKEN = /[\p{L}\p{N}_]{2,}/gu;

export function tokenize(text: string | null): string[] {
  return text ? (text.toLowerCase().match(TOKEN) ?? []) : [];
}

/** The vocabulary and (for TF-IDF) the IDF of each of its tokens, fitted on `docs`. */
export function fitVocabulary(docs: (string | null)[], maxTokens: number): { vocabulary: string[]; idf: number[] } {
  const total = new Map<string, number>();
  const df = new Map<string, number>();
  for (const doc of docs) {
    const tokens = tokenize(doc);
    for (const t of tokens) total.set(t, (total.get(t) ?? 0) + 1);
    for (const t of new Set(tokens)) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const vocabulary = [...total.keys()].sort((a, b) => total.get(b)! - total.get(a)! || (a < b ? -1 : a > b ? 1 : 0)).slice(0, maxTokens);
  const n = docs.length;
  return { vocabulary, idf: vocabulary.map((t) => Math.log((1 + n) / (1 + df.get(t)!)) + 1) };
}

/**
 * Writes each document's token counts (or TF-IDF weights when `idf` is given) into `out`.
 * @param out row-major [docs, width]; this block starts at column `offset` and is vocabulary.length wide.
 */
export function writeTextBlock(docs: (string | null)[], vocabulary: string[], idf: number[] | undefined, out: Float32Array, width: number, offset: number): void {
  const index = new Map(vocabulary.map((t, k) => [t, k]));
  const row = new Float64Array(vocabulary.length);
  docs.forEach((doc, i) => {
    row.fill(0);
    for (const t of tokenize(doc)) {
      const k = index.get(t);
      if (k !== undefined) row[k]++;
    }
    let norm = 1;
    if (idf) {
      let ss = 0;
      for (let k = 0; k < row.length; k++) {
        row[k] *= idf[k];
        ss += row[k] * row[k];
      }
      norm = ss > 0 ? Math.sqrt(ss) : 1;
    }
    for (let k = 0; k < row.length; k++) out[i * width + offset + k] = row[k] / norm;
  });
}
