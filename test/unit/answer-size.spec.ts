/**
 * Answers counted as they are built (src/graphql/answer-size.ts, review F8): a list of objects'
 * items × the fields its selection asks for, nested object lists counted by their own resolvers,
 * lists of scalars and of lists walked (inner lists too, review 3), long strings one value per
 * CHARS_PER_VALUE characters (review 3), per execution; past the limit one coded refusal (reason
 * ANSWER_TOO_LARGE, the field's path) and nothing more is built.
 */
import { buildSchema, execute, parse, type GraphQLError } from 'graphql';
import { AppError } from '../../src/lib/errors';
import { ANSWER_TOO_LARGE, answerRefusalOf, jsonValues, limitAnswerSize } from '../../src/graphql/answer-size';

const schema = buildSchema(`
  type Item { id: Int!, name: String, tags: [String!] }
  type Query { items(n: Int!): [Item!]!, words(n: Int!): [String!], matrix(n: Int!): [[Int!]!], label(chars: Int!): String, labels(n: Int!, chars: Int!): [Item!] }
`);
let tagCalls = 0;
const root = {
  items: ({ n }: { n: number }) => Array.from({ length: n }, (_, id) => ({ id, name: `item ${id}`, tags: () => (tagCalls++, ['a', 'b', 'c']) })),
  words: async ({ n }: { n: number }) => Array.from({ length: n }, (_, i) => `w${i}`),
  matrix: ({ n }: { n: number }) => Array.from({ length: n }, () => Array.from({ length: n }, () => 0)),
  label: ({ chars }: { chars: number }) => 'x'.repeat(chars),
  labels: ({ n, chars }: { n: number; chars: number }) => Array.from({ length: n }, (_, id) => ({ id, name: 'y'.repeat(chars) })),
};
limitAnswerSize(schema, 1000);
const run = (query: string) => execute({ schema, document: parse(query), rootValue: root }) as Promise<{ data?: unknown; errors?: readonly GraphQLError[] }>;

it('counts items × selected fields, nested lists by their own resolvers, and refuses past the limit with the path', async () => {
  // 300 items × (id, name, tags) = 900, plus each list of 3 tags walked as 4 values (the list and
  // its items): past 1,000 at the 26th item's tags (index 25), with none left.
  tagCalls = 0;
  const r = await run('{ items(n: 300) { id name tags } }');
  const refusal = answerRefusalOf(r.errors)!;
  expect(refusal.originalError).toBeInstanceOf(AppError);
  expect((refusal.originalError as AppError).details).toEqual({ reason: ANSWER_TOO_LARGE, limit: 1000, path: 'items.25.tags' });
  expect(refusal.message).toBe(
    'The answer would hold more than 1000 values (GRAPHQL_MAX_ANSWER_VALUES): items.25.tags holds more than the 0 values left (a long string counts one per 64 characters); ask for it on fewer items (one version, fewer rows) at a time',
  );
  // After the refusal nothing more is counted as an error: the later (nullable) tag lists resolve to null.
  expect(r.errors).toHaveLength(1);
  expect(tagCalls).toBe(300);
});

it('lets an answer within the limit through, and counts each execution on its own', async () => {
  for (let i = 0; i < 3; i++) {
    const r = await run('{ items(n: 300) { id name } words(n: 300) }');
    expect(r.errors).toBeUndefined();
    expect((r.data as { items: unknown[] }).items).toHaveLength(300);
  }
  // An asynchronous list is counted when it resolves; fragments count the fields they select.
  const r = await run('{ words(n: 1000) }'); // the list and its 1,000 words
  expect(answerRefusalOf(r.errors)?.message).toMatch(/^The answer would hold more than 1000 values \(GRAPHQL_MAX_ANSWER_VALUES\): words holds more than the 1000 values left/);
  expect((await run('{ words(n: 999) }')).errors).toBeUndefined();
  const f = await run('query { items(n: 400) { ...F } } fragment F on Item { id name tags }');
  expect(answerRefusalOf(f.errors)?.message).toMatch(/items alone has 400 items of 3 fields/);
});

it('counts a JSON scalar by its values (keys, items, primitives), walked only up to the limit (review 2, N2/N3)', async () => {
  const json = buildSchema('scalar JSONObject\ntype Query { blob(n: Int!): JSONObject }');
  limitAnswerSize(json, 1000);
  const rootValue = { blob: ({ n }: { n: number }) => ({ values: Array.from({ length: n }, (_, i) => i) }) };
  const blob = (n: number) => execute({ schema: json, document: parse(`{ blob(n: ${n}) }`), rootValue }) as Promise<{ data?: unknown; errors?: readonly GraphQLError[] }>;
  // { values: [n items] }: the object, its key, the array and n numbers = n + 3.
  expect((await blob(997)).errors).toBeUndefined();
  const refused = await blob(998);
  expect(answerRefusalOf(refused.errors)?.message).toBe(
    'The answer would hold more than 1000 values (GRAPHQL_MAX_ANSWER_VALUES): blob holds more than the 1000 values left (a long string counts one per 64 characters); ask for it on fewer items (one version, fewer rows) at a time',
  );
  expect(jsonValues({ ['k'.repeat(130)]: 'v'.repeat(65) }, 100)).toBe(1 + 3 + 2); // the object, a key of 3 values, a string of 2
  expect(jsonValues({ a: [1, { b: null }], c: 'x' }, 100)).toBe(9); // 2 objects, 3 keys, 1 array, 3 primitives
  expect(
    jsonValues(
      Array.from({ length: 1e6 }, () => 0),
      10,
    ),
  ).toBe(11); // stops past the bound
});

it('walks lists of lists, inner lists included (review 3: a 1,000 × 1,000 confusion matrix counted 1,000 values)', async () => {
  // 31 × 31: the outer list, 31 inner lists and 961 numbers = 993.
  expect((await run('{ matrix(n: 31) }')).errors).toBeUndefined();
  const r = await run('{ matrix(n: 32) }'); // 1 + 32 + 1,024
  expect((answerRefusalOf(r.errors)?.originalError as AppError).details).toEqual({ reason: ANSWER_TOO_LARGE, limit: 1000, path: 'matrix' });
});

it('counts a long string one value per 64 characters, in a String field and in objects of a list (review 3: 65,000-character labels)', async () => {
  expect((await run('{ label(chars: 64000) }')).errors).toBeUndefined(); // 1,000 values: at the limit
  const one = await run('{ label(chars: 64065) }');
  expect(answerRefusalOf(one.errors)?.message).toBe(
    'The answer would hold more than 1000 values (GRAPHQL_MAX_ANSWER_VALUES): label is a string of 64065 characters (one value per 64), more than the 1000 values left; ask for fewer items at a time',
  );
  // 10 items × (id, name) = 20, then each 6,400-character name adds 99 more: the 10th passes 1,000.
  expect((await run('{ labels(n: 9, chars: 6400) { id name } }')).errors).toBeUndefined();
  const many = await run('{ labels(n: 10, chars: 6400) { id name } }');
  expect((answerRefusalOf(many.errors)?.originalError as AppError).details).toEqual({ reason: ANSWER_TOO_LARGE, limit: 1000, path: 'labels.9.name' });
  // Short strings are not counted beyond their field.
  expect((await run('{ labels(n: 400, chars: 64) { id name } }')).errors).toBeUndefined();
});
