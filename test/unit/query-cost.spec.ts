/**
 * The operation cost (src/graphql/query-cost.ts) on the schema as published (schema.graphql): a
 * connection costs its rows times what its edges select, pageInfo and totalCount once; the review's
 * nested pages (issue 13) pass, big nestings do not, variables count as their values.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, parse } from 'graphql';
import { CONNECTION_BASE, costRefusal, operationCost } from '../../src/graphql/query-cost';

const schema = buildSchema(fs.readFileSync(path.join(__dirname, '../../schema.graphql'), 'utf8'));
const cost = (query: string, variables?: Record<string, unknown>) => operationCost(schema, { document: parse(query), variables });

const PAGE_INFO = 'totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
const versions = (args: string) => `versionsConnection(${args}) { ${PAGE_INFO} edges { cursor node { id version framework metrics { accuracy rocAuc } } } }`;
const models = (args: string, inner: string) => `{ modelsConnection(${args}) { ${PAGE_INFO} edges { cursor node { id name ${inner} } } } }`;

it('costs a connection its base plus rows × what edges select; pageInfo and totalCount once, whatever the rows', () => {
  // edges 1 + cursor 1 + node (1 + name 1) = 4 a row.
  expect(cost('{ modelsConnection(first: 3) { edges { cursor node { name } } } }')).toBe(CONNECTION_BASE + 3 * 4);
  expect(cost(`{ modelsConnection(first: 3) { ${PAGE_INFO} edges { cursor node { name } } } }`)).toBe(CONNECTION_BASE + 3 * 4);
  expect(cost(`{ modelsConnection(first: 100) { ${PAGE_INFO} } }`)).toBe(CONNECTION_BASE);
  // No size: the default page (20); `last` as `first`; first: 0 fetches no rows.
  expect(cost('{ modelsConnection { edges { node { name } } } }')).toBe(CONNECTION_BASE + 20 * 3);
  expect(cost('{ modelsConnection(last: 7) { edges { node { name } } } }')).toBe(CONNECTION_BASE + 7 * 3);
  expect(cost('{ modelsConnection(first: 0) { edges { node { name } } } }')).toBe(CONNECTION_BASE);
  // A size past the page limit is costed at the limit (the resolver refuses it, naming `first`).
  expect(cost('{ modelsConnection(first: 100000) { edges { node { name } } } }')).toBe(CONNECTION_BASE + 100 * 3);
});

it("passes the review's nested pages: 100 models with versionsConnection(first: 0), and 20 models × 5 versions with cursors and totalCount", () => {
  // A model row: edges 1 + cursor 1 + node (1 + id 1 + name 1 + versions); a version row: edges 1 + cursor 1 + node (1 + id, version, framework 3 + metrics 3) = 9.
  const empty = cost(models('first: 100', versions('first: 0')));
  expect(empty).toBe(CONNECTION_BASE + 100 * (5 + CONNECTION_BASE));
  const paged = cost(models('first: 20', versions('first: 5')));
  expect(paged).toBe(CONNECTION_BASE + 20 * (5 + CONNECTION_BASE + 5 * 9));
  expect([empty, paged]).toEqual([702, 1042]);
  for (const q of [models('first: 100', versions('first: 0')), models('first: 20', versions('first: 5'))])
    expect(costRefusal(schema, { document: parse(q) }, 5000)).toBeUndefined();
  // The unpaged list in the same place: its elements once (a deprecated list, not multiplied).
  expect(cost(models('first: 20', 'versions { id version framework metrics { accuracy rocAuc } }'))).toBe(CONNECTION_BASE + 20 * (5 + 1 + 6));
});

it('refuses big nestings with QUERY_COST_EXCEEDED naming the cost and the limit, variables counted as sent', () => {
  const big = models('first: 100', versions('first: 100'));
  expect(cost(big)).toBe(CONNECTION_BASE + 100 * (5 + CONNECTION_BASE + 100 * 9));
  const refusal = costRefusal(schema, { document: parse(big) }, 5000)!;
  expect(refusal.extensions).toMatchObject({ code: 'QUERY_COST_EXCEEDED', http: { status: 400 } });
  expect((refusal.originalError as { details?: unknown }).details).toEqual({ cost: 90702, limit: 5000 });
  expect(refusal.message).toBe(
    "The query's cost is 90702, over the limit of 5000 (GRAPHQL_MAX_COST): a connection costs its first or last (default 20) times what its edges select; ask for smaller pages or fewer fields",
  );
  expect(refusal.message).not.toMatch(/Syntax Error/);
  // The same query with the sizes in variables costs the same (graphql-armor counted a variable as 1).
  const withVariables = `query($m: Int, $v: Int) ${models('first: $m', versions('first: $v'))}`;
  expect(cost(withVariables, { m: 100, v: 100 })).toBe(90702);
  expect(cost(withVariables, { m: 20, v: 5 })).toBe(1042);
  // Fragments are costed where they are spread; @skip(if: true) costs nothing.
  const fragment = `query { modelsConnection(first: 10) { edges { node { ...M } } } } fragment M on Model { name versionsConnection(first: 10) @skip(if: false) { edges { node { id } } } }`;
  expect(cost(fragment)).toBe(CONNECTION_BASE + 10 * (1 + 1 + 1 + CONNECTION_BASE + 10 * 3));
  expect(cost(fragment.replace('@skip(if: false)', '@skip(if: true)'))).toBe(CONNECTION_BASE + 10 * 3);
});

it('multiplies nodes(ids:) by the ids, and introspection costs nothing', () => {
  expect(cost('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', 'b', 'c'] })).toBe(1 + 3 * 1);
  expect(cost('{ __schema { types { name fields { name } } } }')).toBe(0);
});

it('costs a document once when its variables cannot change the cost, and every time when they can', () => {
  const costOf = (document: ReturnType<typeof parse>, variables: Record<string, unknown>) =>
    (costRefusal(schema, { document, variables }, 100)?.originalError as { details?: { cost: number } } | undefined)?.details?.cost;
  // The same parsed document each time (as Apollo's document store hands it to every request of one query text).
  const sized = parse(`query($m: Int, $v: Int) ${models('first: $m', versions('first: $v'))}`);
  expect([costOf(sized, { m: 20, v: 5 }), costOf(sized, { m: 100, v: 100 }), costOf(sized, { m: 20, v: 5 })]).toEqual([1042, 90702, 1042]);
  // @skip(if: $s): 2 + 20 × (5 + 2 + 5 × 3) shown, 2 + 20 × 5 skipped.
  const skipped = parse(`query($s: Boolean!) ${models('first: 20', 'versionsConnection(first: 5) @skip(if: $s) { edges { node { id } } }')}`);
  expect([costOf(skipped, { s: false }), costOf(skipped, { s: true }), costOf(skipped, { s: false })]).toEqual([442, 102, 442]);
  // A variable elsewhere (a name filter) cannot change the cost: answered from the cache, the same.
  const named = parse(`query($n: String) ${models('first: 20, name: $n', versions('first: 5'))}`);
  expect([costOf(named, { n: 'a' }), costOf(named, { n: 'b' })]).toEqual([1042, 1042]);
});
