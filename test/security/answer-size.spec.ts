/**
 * An answer is counted as it is built and refused past GRAPHQL_MAX_ANSWER_VALUES (issue 10, review
 * F8: `{ datasets { columns { …every statistic… } } }` over wide datasets cost 23 and built a 16 MB
 * answer on the event loop). The same refusal over HTTP (400, the refusal alone) and the websocket
 * (the operation's only result; the socket and its other operations go on), for the plain lists the
 * query cost cannot size; within the limit the answer is whole. Here the limit is 2,000 values and
 * a dataset has 300 numeric columns.
 */
import type { App } from '../../src/app';
import { collect, gql, gqlOk, wsClient } from '../../src/client/graphql-client';
import { startTestApp } from '../support/app';
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';

const COLUMNS = 300;
const csv = [Array.from({ length: COLUMNS }, (_, j) => `c${j}`).join(','), ...Array.from({ length: 5 }, (_, i) => Array.from({ length: COLUMNS }, (_, j) => i * j).join(','))].join(
  '\n',
);

let app: App;
let t: TenantBundle;
let datasetId: string;
beforeAll(async () => {
  app = await startTestApp({ GRAPHQL_MAX_ANSWER_VALUES: '2000', WORKER_ENABLED: 'false' });
  t = await createTenant(app, 'answer-size');
  datasetId = await uploadCsv(t, csv, 'wide');
}, 60_000);
afterAll(() => app.stop());

const NAMES = 'query($id: ID!) { dataset(id: $id) { columns { name type mean } } }';
const PROFILE = 'query($id: ID!) { dataset(id: $id) { columns { name type mean histogram { lower upper count } } } }';
const MESSAGE =
  /^The answer would hold more than 2000 values \(GRAPHQL_MAX_ANSWER_VALUES\): dataset\.columns(\.\d+\.histogram)? alone has \d+ items of \d+ fields; select fewer fields/;

it('answers within the limit whole, and refuses past it with one coded error over HTTP', async () => {
  const names = await gqlOk(t, NAMES, { id: datasetId });
  expect(names.dataset.columns).toHaveLength(COLUMNS); // 300 × 3 = 900 values
  const res = await fetch(t.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` },
    body: JSON.stringify({ query: PROFILE, variables: { id: datasetId } }),
  });
  const body = (await res.json()) as { data?: unknown; errors: { message: string; extensions: Record<string, unknown> }[] };
  expect(res.status).toBe(400);
  expect(body.data).toBeUndefined();
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0]!.extensions).toEqual({ code: 'QUERY_COST_EXCEEDED', reason: 'ANSWER_TOO_LARGE', limit: 2000, path: expect.stringMatching(/^dataset\.columns/) });
  expect(body.errors[0]!.message).toMatch(MESSAGE);
});

it('refuses the same over the websocket, and the socket answers the next operation', async () => {
  const client = wsClient(app.server.wsUrl, t.token);
  try {
    const [refused] = await collect(client, PROFILE, { id: datasetId }).done;
    expect(refused!.errors).toHaveLength(1);
    expect(refused!.errors![0]!.extensions).toEqual({ code: 'QUERY_COST_EXCEEDED', reason: 'ANSWER_TOO_LARGE', limit: 2000, path: expect.stringMatching(/^dataset\.columns/) });
    expect(refused!.errors![0]!.message).toMatch(MESSAGE);
    const [next] = await collect(client, NAMES, { id: datasetId }).done;
    expect((next!.data as { dataset: { columns: unknown[] } }).dataset.columns).toHaveLength(COLUMNS);
  } finally {
    await client.dispose();
  }
});

it('counts plain lists of lists: several datasets with their columns', async () => {
  await uploadCsv(t, csv, 'wide-2');
  await uploadCsv(t, csv, 'wide-3');
  const r = await gql(t, '{ datasets { name columns { name type mean } } }'); // 3 × 300 × 3 = 2,700
  expect(r.errors?.[0]?.extensions).toEqual({ code: 'QUERY_COST_EXCEEDED', reason: 'ANSWER_TOO_LARGE', limit: 2000, path: expect.stringMatching(/^datasets\.\d\.columns$/) });
  expect((await gqlOk(t, '{ datasets { name columns { name } } }')).datasets).toHaveLength(3); // 900 + 3 × 2
});
