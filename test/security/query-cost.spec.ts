/**
 * The operation cost limit (GRAPHQL_MAX_COST, src/graphql/query-cost.ts) through the real server,
 * over HTTP and the websocket: the nested pages the review of issue 13 found refused now pass, a
 * big nesting is refused with QUERY_COST_EXCEEDED (HTTP 400) naming the cost and the limit — with
 * the page sizes as literals or as variables — and nothing of it runs.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { App } from '../../src/app';
import { codeOf, collect, gql, gqlOk } from '../../src/client/graphql-client';
import { startTestApp } from '../support/app';
import { createTenant, type TenantBundle } from '../support/factories';

let app: App;
let t: TenantBundle;

beforeAll(async () => {
  app = await startTestApp({ WORKER_ENABLED: 'false' });
  t = await createTenant(app, 'query-cost');
  for (let i = 0; i < 3; i++) await app.db.prisma.model.create({ data: { tenantId: t.tenantId, name: `model-${i}` } });
});
afterAll(() => app.stop());

const PAGE_INFO = 'totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
const NESTED = `query($m: Int, $v: Int) { modelsConnection(first: $m) { ${PAGE_INFO} edges { cursor node { id name
  versionsConnection(first: $v) { ${PAGE_INFO} edges { cursor node { id version framework metrics { accuracy rocAuc } } } } } } } }`;
const REFUSAL = (cost: number) =>
  `The query's cost is ${cost}, over the limit of 5000 (GRAPHQL_MAX_COST): a connection costs its first or last (default 20) times what its edges select; ask for smaller pages or fewer fields`;

it('answers 100 models with versionsConnection(first: 0), and 20 models × 5 versions with cursors and totalCount', async () => {
  const empty = (await gqlOk(t, NESTED, { m: 100, v: 0 })).modelsConnection;
  expect([empty.totalCount, empty.edges.length, empty.edges[0].node.versionsConnection]).toEqual([
    3,
    3,
    { totalCount: 0, pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null }, edges: [] },
  ]);
  const paged = (await gqlOk(t, NESTED, { m: 20, v: 5 })).modelsConnection;
  expect(paged.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['model-2', 'model-1', 'model-0']);
});

it('refuses 100 models × 100 versions over HTTP with QUERY_COST_EXCEEDED, status 400, the cost and the limit — literals and variables alike', async () => {
  const res = await fetch(t.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` },
    body: JSON.stringify({ query: NESTED, variables: { m: 100, v: 100 } }),
  });
  expect(res.status).toBe(400);
  const body = await res.json();
  expect(body.data).toBeUndefined();
  expect(body.errors).toEqual([{ message: REFUSAL(90702), extensions: { code: 'QUERY_COST_EXCEEDED', cost: 90702, limit: 5000 } }]);
  const literal = await gql(t, NESTED.replace('query($m: Int, $v: Int)', 'query').replace('first: $m', 'first: 100').replace('first: $v', 'first: 100'));
  expect([codeOf(literal), literal.errors?.[0].message]).toEqual(['QUERY_COST_EXCEEDED', REFUSAL(90702)]);
});

it('refuses it on the websocket with the same code and message, and the socket serves the next operation', async () => {
  const client = createClient({ url: t.wsUrl, webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${t.token}` }, lazy: true, retryAttempts: 0 });
  try {
    const [refused] = await collect(client, NESTED, { m: 100, v: 100 }).done;
    expect(refused.errors).toEqual([{ message: REFUSAL(90702), extensions: { code: 'QUERY_COST_EXCEEDED', cost: 90702, limit: 5000 } }]);
    const [ok] = await collect(client, NESTED, { m: 20, v: 5 }).done;
    expect(ok.data?.modelsConnection.totalCount).toBe(3);
  } finally {
    await client.dispose();
  }
});
