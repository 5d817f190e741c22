/**
 * Progress latency: time from an epoch's event being published (its `emittedAt`) to a subscriber
 * receiving it, with N concurrent subscribers on the same run. With the API's process id, also the
 * CPU each side spent per message delivered (every `next`, replayed or live): the API's main thread
 * (the fan-out; the run's training counts too, the same for any build) and this process (the
 * graphql-ws clients, which share the machine's cores with the API and queue what they receive).
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { gqlOk, type Caller } from '../src/client/graphql-client';
import { cpuMicros } from './anchors';

export async function progressLatency(me: Caller, datasetId: string, subscribers: number, apiPid?: number) {
  // Subscribing 1,000 sockets takes longer than 30 epochs of this model (a few ms each): that run
  // gets enough epochs to still be training once they are all subscribed.
  const epochs = subscribers >= 1000 ? 200 : 30;
  // A dropout layer keeps the run on TF.js (a few ms an epoch): the network alone trains in plain
  // JavaScript (src/ml/families/network/js-train.ts) and sends its 200 epochs in a burst faster than
  // 1,000 sockets can be written, which measures the fan-out's throughput, not an epoch's latency.
  const spec = {
    layers: [
      { type: 'DENSE', units: 4, activation: 'RELU' },
      { type: 'DROPOUT', rate: 0.01 },
      { type: 'DENSE', units: 1, activation: 'SIGMOID' },
    ],
    loss: 'BINARY_CROSSENTROPY',
    epochs,
    batchSize: 256,
  };
  // Every socket open and acknowledged before the run starts (opening 1,000 sockets on a busy
  // machine otherwise outlasts the run, and late subscribers only see replays); then the run is
  // started and all subscribe at once: epochs that finished before a subscription are replayed,
  // and left out of the figures.
  const wsUrl = me.url.replace('http', 'ws');
  const connected: Promise<void>[] = [];
  const clients = Array.from({ length: subscribers }, () => {
    let resolve!: () => void;
    connected.push(new Promise<void>((r) => (resolve = r)));
    return createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${me.token}` },
      retryAttempts: 0,
      lazy: false,
      on: { connected: () => resolve() },
    });
  });
  await Promise.race([Promise.all(connected), new Promise((r) => setTimeout(r, 60_000).unref())]);
  const run = await gqlOk(me, 'mutation($i: StartTrainingRunInput!) { startTrainingRun(input: $i) { id } }', {
    i: { datasetId, targetColumn: 'Outcome', modelName: `latency-${subscribers}`, spec },
  });
  const apiBefore = apiPid === undefined ? 0 : cpuMicros(apiPid, true);
  const clientBefore = process.cpuUsage();
  const samples: number[] = [];
  let completed = 0;
  let delivered = 0;
  const all = Promise.all(
    clients.map(
      (client) =>
        new Promise<void>((resolve) => {
          client.subscribe<{ trainingProgress: { kind: string; emittedAt: number | null; replayed: boolean } }>(
            { query: 'subscription($id: ID!) { trainingProgress(runId: $id) { kind emittedAt replayed } }', variables: { id: run.startTrainingRun.id } },
            {
              next: (r) => {
                delivered++;
                const e = r.data?.trainingProgress;
                if (e?.kind === 'EPOCH' && e.emittedAt && !e.replayed) samples.push(Date.now() - e.emittedAt);
              },
              error: () => resolve(),
              complete: () => {
                completed++;
                resolve();
              },
            },
          );
        }),
    ),
  );
  // Bounded: a subscriber that has not seen its run end after 60 s is reported, not waited for.
  await Promise.race([all, new Promise((r) => setTimeout(r, 60_000).unref())]);
  const apiUs = apiPid === undefined ? NaN : cpuMicros(apiPid, true) - apiBefore;
  const client = process.cpuUsage(clientBefore);
  await Promise.all(clients.map((c) => c.dispose()));
  samples.sort((a, b) => a - b);
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? NaN;
  return {
    p50: q(0.5),
    p99: q(0.99),
    samples: samples.length,
    completed,
    delivered,
    /** API main-thread CPU µs per message delivered. */
    apiUsPerMessage: apiUs / delivered,
    /** This process' CPU µs per message delivered (the clients). */
    clientUsPerMessage: (client.user + client.system) / delivered,
  };
}
