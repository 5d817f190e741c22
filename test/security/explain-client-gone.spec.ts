/**
 * An explanation stops when its client goes away (issue 10, review 2: a client could start a
 * minutes-long explanation, disconnect, and start another). Its slices (SCORING_SLICE_WORK, here one
 * row each) stop at the next slice once the HTTP connection closed before the answer; the log says
 * where it stopped, at `info` as a client error (INVALID_STATE, reason CLIENT_GONE), and the next
 * explanation is answered whole.
 */
import type { App } from '../../src/app';
import { gqlOk } from '../../src/client/graphql-client';
import { startTestAppWithLogs } from '../support/app';
import { PIMA_CSV, PIMA_ROWS } from '../support/data';
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';
import { rawSocket, until } from '../support/raw-ws';
import { trainVersion } from '../support/training';

const EXPLAIN = 'query($rows: [JSONObject!]!) { explain(model: "wide", rows: $rows) { explanations { value } } }';
let lines: Record<string, any>[] = [];
let app: App;
let t: TenantBundle;

beforeAll(async () => {
  ({ app, lines } = await startTestAppWithLogs({
    SCORING_SLICE_WORK: '1000000', // one row of this network's explanation a slice
    MAX_EXPLAIN_ROW_WORK: '1e9',
    MAX_EXPLAIN_WORK: '1e12',
    MAX_EXPLAIN_CELLS: '1e12',
  }));
  t = await createTenant(app, 'gone');
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  const spec = {
    layers: [
      { type: 'DENSE', units: 128, activation: 'RELU' },
      { type: 'DENSE', units: 128, activation: 'RELU' },
      { type: 'DENSE', units: 1, activation: 'SIGMOID' },
    ],
    loss: 'BINARY_CROSSENTROPY',
    epochs: 1,
    batchSize: 64,
  };
  await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'wide', spec });
}, 120_000);
afterAll(() => app.stop());

it('stops an explanation at its next slice when the client closed the connection, and logs where', async () => {
  const rows = PIMA_ROWS.slice(0, 100);
  const client = new AbortController();
  const request = fetch(t.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query: EXPLAIN, variables: { rows } }),
    signal: client.signal,
  }).catch((err: Error) => err.name);
  await until('a slice on the scoring thread', () => app.threads.scoring!.queueStats().thread.running > 0);
  client.abort();
  expect(await request).toBe('AbortError');
  await until('the stop logged', () => lines.some((l) => l.code === 'INVALID_STATE'));
  const stopped = lines.find((l) => l.code === 'INVALID_STATE')!;
  expect(stopped).toMatchObject({ level: 30, msg: 'client error', tenantId: t.tenantId });
  const done = Number(/^The client closed the request: the explanation stopped after (\d+) of 100 rows$/.exec(stopped.message)?.[1]);
  console.log(`explain-client-gone: stopped after ${done} of 100 rows`);
  expect(done).toBeGreaterThanOrEqual(1);
  expect(done).toBeLessThan(100);
  // The next explanation is answered whole.
  const whole = await gqlOk(t, EXPLAIN, { rows: rows.slice(0, 5) });
  expect(whole.explain.explanations).toHaveLength(5);
});

it('stops an explanation sent over the websocket when the client completes that operation, the socket staying open (review 5)', async () => {
  const stops = () => lines.filter((l) => l.msg === 'explanation stopped: its client left');
  const before = stops().length;
  const ws = await rawSocket(t.wsUrl, t.apiKey);
  ws.socket.send(JSON.stringify({ id: 'x', type: 'subscribe', payload: { query: EXPLAIN, variables: { rows: PIMA_ROWS.slice(0, 100) } } }));
  await until('a slice on the scoring thread', () => app.threads.scoring!.queueStats().thread.running > 0);
  ws.socket.send(JSON.stringify({ id: 'x', type: 'complete' }));
  await until('the stop logged', () => stops().length > before);
  const stopped = stops().at(-1)!;
  expect(stopped).toMatchObject({ level: 30, tenantId: t.tenantId });
  const done = Number(/stopped after (\d+) of 100 rows$/.exec(stopped.message)?.[1]);
  expect(done).toBeLessThan(100);
  // The socket serves the next operation.
  ws.socket.send(JSON.stringify({ id: 'y', type: 'subscribe', payload: { query: EXPLAIN, variables: { rows: PIMA_ROWS.slice(0, 2) } } }));
  await until('the next answer', () => ws.messages.some((m) => m.id === 'y' && m.type === 'complete'));
  expect(ws.messages.find((m) => m.id === 'y' && m.type === 'next')?.payload.data.explain.explanations).toHaveLength(2);
  expect(ws.closed()).toBeUndefined();
  ws.socket.close();
});
