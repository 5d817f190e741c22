/**
 * Token explanations echo bounded text (issue 10): each token cut to MAX_ECHOED_TOKEN_CHARS code
 * points (ending with `…`, never splitting a surrogate pair), at most sequenceLength tokens per text
 * (the rest counted in `truncated`), whatever the caller sends.
 */
import type { Scorer } from '../../src/ml/families/model-family';
import { echoedToken, explainTokens, MAX_ECHOED_TOKEN_CHARS } from '../../src/ml/explain-tokens';
import type { FittedPipeline } from '../../src/ml/preprocess/types';

/** A text classifier's pipeline: one text column read as `sequenceLength` token ids. */
const pipeline = (sequenceLength: number): FittedPipeline =>
  ({
    format: 'maas-pipeline/1',
    columns: [{ name: 'message', type: 'text', missingCodes: [], steps: [{ op: 'token_sequence', vocabulary: ['free', 'prize'], sequenceLength }], outputs: [] }],
    target: { task: 'binary', classes: ['ham', 'spam'] },
    datasetColumns: ['message', 'label'],
  }) as unknown as FittedPipeline;

/** P(spam) = 0.9 when the row holds the id of 'free' (2), else 0.2. */
const scorer = (sequenceLength: number): Scorer =>
  ({
    inputShape: [sequenceLength],
    outputShape: [1],
    score: (x: Float32Array, rows: number) => Float32Array.from({ length: rows }, (_, r) => (x.subarray(r * sequenceLength, (r + 1) * sequenceLength).includes(2) ? 0.9 : 0.2)),
    dispose: () => undefined,
  }) as unknown as Scorer;

it('cuts a huge token to MAX_ECHOED_TOKEN_CHARS code points and keeps attributing it', () => {
  const huge = 'a'.repeat(1_000_000);
  const [e] = explainTokens(scorer(8), pipeline(8), [`free ${huge} prize`], [0])!;
  expect(e.tokens.map((t) => t.token)).toEqual(['free', `${'a'.repeat(MAX_ECHOED_TOKEN_CHARS)}…`, 'prize']);
  expect(e.tokens[1]).toMatchObject({ known: false, position: 1, attribution: 0 });
  expect(e.tokens[0].attribution).toBeCloseTo(Math.log(9) - Math.log(0.25), 5);
  expect(JSON.stringify(e).length).toBeLessThan(1000);
});

it('echoes at most sequenceLength tokens of a long text, counting the rest', () => {
  const [e] = explainTokens(scorer(16), pipeline(16), [Array.from({ length: 5000 }, (_, i) => `w${i}`).join(' ')], [0])!;
  expect(e.tokens).toHaveLength(16);
  expect(e.truncated).toBe(5000 - 16);
});

it('never splits a surrogate pair, and leaves short tokens alone', () => {
  const math = '𝐀'.repeat(100); // U+1D400, two UTF-16 units each
  const cut = echoedToken(math);
  expect(Array.from(cut)).toHaveLength(MAX_ECHOED_TOKEN_CHARS + 1);
  expect(cut).toBe(`${'𝐀'.repeat(MAX_ECHOED_TOKEN_CHARS)}…`);
  expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(cut)).toBe(false); // no lone high surrogate
  expect(echoedToken('zürich')).toBe('zürich');
  expect(echoedToken('x'.repeat(MAX_ECHOED_TOKEN_CHARS))).toBe('x'.repeat(MAX_ECHOED_TOKEN_CHARS));
});
