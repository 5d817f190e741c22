/**
 * Progress fan-out to many subscribers (issue 15; src/graphql/shared-subscribe.ts executes an
 * event once per operation and actor): every subscription on every socket gets each epoch exactly once,
 * in order, then FINAL — as `trainingProgress` promises ("one EPOCH event per finished epoch, then
 * one FINAL event") — for subscribers of the same operation (shared) and of other selections, two
 * per socket, and the messages on the wire are graphql-ws' own shape with each subscription's id.
 */
import WebSocket from 'ws';
import { GRAPHQL_TRANSPORT_WS_PROTOCOL } from 'graphql-ws';
import type { App } from '../src/app';
import { collect, wsClient } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { startRun } from './support/training';

const EPOCHS = 12;
const SOCKETS = 40;
const SHARED = 'subscription($id: ID!) { trainingProgress(runId: $id) { kind epoch epochs loss } }';
const OTHER = 'subscription($id: ID!) { trainingProgress(runId: $id) { epoch kind status } }';

let app: App;
let t: TenantBundle;

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'fan-out');
});
afterAll(() => app.stop());

type Progress = { trainingProgress: { kind: string; epoch: number | null } };

it(`gives ${SOCKETS} sockets × 2 subscriptions every epoch once, in order, then FINAL`, async () => {
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  const spec = {
    layers: [
      { units: 2, activation: 'RELU' },
      { units: 1, activation: 'SIGMOID' },
    ],
    loss: 'BINARY_CROSSENTROPY',
    epochs: EPOCHS,
    batchSize: 64,
  };
  const runId = (await startRun(t, datasetId, 'fan-out', spec)).id;
  const clients = Array.from({ length: SOCKETS }, () => wsClient(t.wsUrl, t.token));
  try {
    const streams = clients.flatMap((c, i) => [collect<Progress>(c, SHARED, { id: runId }), collect<Progress>(c, i % 2 ? SHARED : OTHER, { id: runId })]);
    const all = await Promise.all(streams.map((s) => s.done));
    const wanted = [...Array.from({ length: EPOCHS }, (_, i) => `EPOCH ${i + 1}`), 'FINAL'];
    for (const events of all) {
      expect(events.map((e) => e.errors ?? `${e.data!.trainingProgress.kind}${e.data!.trainingProgress.kind === 'EPOCH' ? ` ${e.data!.trainingProgress.epoch}` : ''}`)).toEqual(
        wanted,
      );
    }
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
  }
}, 120_000);

it("sends graphql-ws' message text: each subscription's own id, escaped, with the payload", async () => {
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima-raw');
  const runId = (await startRun(t, datasetId, 'fan-out-raw', { layers: [{ units: 1, activation: 'SIGMOID' }], loss: 'BINARY_CROSSENTROPY', epochs: 3, batchSize: 256 })).id;
  const socket = new WebSocket(t.wsUrl, GRAPHQL_TRANSPORT_WS_PROTOCOL);
  const frames: string[] = [];
  const ids = ['plain', 'a "quoted" \\ id \u2028'];
  const completed = new Promise<void>((resolve, reject) => {
    let done = 0;
    socket.on('message', (raw) => {
      const text = String(raw);
      const message = JSON.parse(text) as { type: string; id?: string };
      if (message.type === 'connection_ack') for (const id of ids) socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: SHARED, variables: { id: runId } } }));
      if (message.type === 'next') frames.push(text);
      if (message.type === 'error') reject(new Error(text));
      if (message.type === 'complete' && ++done === ids.length) resolve();
    });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${t.token}` } })));
  });
  try {
    await completed;
  } finally {
    socket.close();
  }
  expect(frames.length).toBe(2 * 4);
  for (const text of frames) {
    const { id, payload } = JSON.parse(text) as { id: string; payload: unknown };
    expect(ids).toContain(id);
    expect(text).toBe(`{"id":${JSON.stringify(id)},"type":"next","payload":${JSON.stringify(payload)}}`);
  }
});
