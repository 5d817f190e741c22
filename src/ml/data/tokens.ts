/**
 * The word tokenizer text profiles and text models share: lower-cased runs of letters and digits
 * (Unicode-aware: `Zürich`, `日本` and `£1000`'s `1000` stay whole), everything else separates.
 */
const WORD = /[\p{L}\p{N}]+/gu;

/** Lower-cased tokens of `text`, in order (none for null). */
export function wordTokens(text: string | null): string[] {
  return text ? (text.toLowerCase().match(WORD) ?? []) : [];
}
