/**
 * Answers counted as they are built (src/graphql/answer-size.ts, review F8): a list's items × the
 * fields its selection asks for, nested lists counted by their own resolvers, per execution; past
 * the limit one coded refusal (reason ANSWER_TOO_LARGE, the list's path) and nothing more is built.
 */
import { buildSchema, execute, parse, type GraphQLError } from 'graphql';
import { AppError } from '../../src/lib/errors';
import { ANSWER_TOO_LARGE, answerRefusalOf, jsonValues, limitAnswerSize } from '../../src/graphql/answer-size';

const schema = buildSchema(`
  type Item { id: Int!, name: String, tags: [String!] }
  type Query { items(n: Int!): [Item!]!, words(n: Int!): [String!] }
`);
let tagCalls = 0;
const root = {
  items: ({ n }: { n: number }) => Array.from({ length: n }, (_, id) => ({ id, name: `item ${id}`, tags: () => (tagCalls++, ['a', 'b', 'c']) })),
  words: async ({ n }: { n: number }) => Array.from({ length: n }, (_, i) => `w${i}`),
};
limitAnswerSize(schema, 1000);
const run = (query: string) => execute({ schema, document: parse(query), rootValue: root }) as Promise<{ data?: unknown; errors?: readonly GraphQLError[] }>;

it('counts items × selected fields, nested lists by their own resolvers, and refuses past the limit with the path', async () => {
  // 300 items × (id, name, tags) = 900, plus 300 × 3 tags = 1,800: past 1,000 at the 34th item's tags (index 33).
  tagCalls = 0;
  const r = await run('{ items(n: 300) { id name tags } }');
  const refusal = answerRefusalOf(r.errors)!;
  expect(refusal.originalError).toBeInstanceOf(AppError);
  expect((refusal.originalError as AppError).details).toEqual({ reason: ANSWER_TOO_LARGE, limit: 1000, path: 'items.33.tags' });
  expect(refusal.message).toBe(
    'The answer would hold more than 1000 values (GRAPHQL_MAX_ANSWER_VALUES): items.33.tags alone has 3 items of 1 fields; select fewer fields, or fewer rows (a connection page, `take`), or query one item at a time',
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
  const r = await run('{ words(n: 1001) }');
  expect(answerRefusalOf(r.errors)?.message).toMatch(/^The answer would hold more than 1000 values \(GRAPHQL_MAX_ANSWER_VALUES\): words alone has 1001 items of 1 fields/);
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
    'The answer would hold more than 1000 values (GRAPHQL_MAX_ANSWER_VALUES): blob alone holds more than 1000 JSON values; ask for it on fewer items (one version, fewer rows) at a time',
  );
  expect(jsonValues({ a: [1, { b: null }], c: 'x' }, 100)).toBe(9); // 2 objects, 3 keys, 1 array, 3 primitives
  expect(
    jsonValues(
      Array.from({ length: 1e6 }, () => 0),
      10,
    ),
  ).toBe(11); // stops past the bound
});
