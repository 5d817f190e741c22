/**
 * Image bench (issue 11): CNN training samples/s (ours vs raw TF.js vs PyTorch, bench/image-train.ts)
 * and image predict over GraphQL in images/s, 1 and 32 images per request. `npm run bench` calls
 * {@link runImageBench} with its server; `npm run bench:image` runs it alone against a throwaway
 * server (scripts/demo/server.ts: MAAS_URL, or a local one on an embedded PostgreSQL).
 */
import fs from 'node:fs';
import { collect, gqlOk, wsClient, type Caller } from '../src/client/graphql-client';
import { sharedDataFile } from '../src/lib/paths';
import { demoServer, demoTenant } from '../scripts/demo/server';
import { trainingLines } from './image-train';
import { load } from './load';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

/** Uploads the MNIST test images and trains a 1-epoch CNN 'bench-cnn' through the API. */
async function trainedCnn(me: Caller, wsUrl: string): Promise<void> {
  const form = new FormData();
  form.append(
    'operations',
    JSON.stringify({
      query: 'mutation($i: Upload!, $l: Upload) { uploadImageDataset(name: "mnist", format: MNIST_IDX, images: $i, labels: $l) { id } }',
      variables: { i: null, l: null },
    }),
  );
  form.append('map', JSON.stringify({ 0: ['variables.i'], 1: ['variables.l'] }));
  form.append('0', new Blob([fs.readFileSync(sharedDataFile('mnist', 't10k-images-idx3-ubyte.gz'))]), 'images.gz');
  form.append('1', new Blob([fs.readFileSync(sharedDataFile('mnist', 't10k-labels-idx1-ubyte.gz'))]), 'labels.gz');
  const res = await fetch(me.url, { method: 'POST', headers: { authorization: `Bearer ${me.token}`, 'apollo-require-preflight': 'true' }, body: form });
  const uploaded = (await res.json()) as { data: { uploadImageDataset: { id: string } } };
  const layers = [
    { type: 'CONV2D', filters: 16, kernelSize: 3, padding: 'SAME' },
    { type: 'MAX_POOLING2D' },
    { type: 'CONV2D', filters: 32, kernelSize: 3, padding: 'SAME' },
    { type: 'MAX_POOLING2D' },
    { type: 'FLATTEN' },
    { type: 'DENSE', units: 64, activation: 'RELU' },
    { type: 'DENSE', units: 10, activation: 'SOFTMAX' },
  ];
  const run = await gqlOk(me, 'mutation($i: StartTrainingRunInput!) { startTrainingRun(input: $i) { id } }', {
    i: {
      datasetId: uploaded.data.uploadImageDataset.id,
      targetColumn: 'label',
      modelName: 'bench-cnn',
      spec: { model: 'CONVOLUTIONAL_NETWORK', layers, epochs: 1, testFraction: 0.8 },
    },
  });
  const client = wsClient(wsUrl, me.token);
  await collect(client, 'subscription($id: ID!) { trainingProgress(runId: $id) { kind } }', { id: run.startTrainingRun.id }).done;
  await client.dispose();
}

/** Markdown lines of the image section. */
export async function runImageBench(me: Caller, wsUrl: string): Promise<string[]> {
  const lines = ['## Image recognition (issue 11)', '', '### CNN training', ''];
  lines.push(...(await trainingLines()));
  await trainedCnn(me, wsUrl);
  const png = fs.readFileSync(sharedDataFile('mnist', 'png-samples', 't10k-00000-label7.png')).toString('base64');
  const query = 'query($images: [String!]) { predictImage(model: "bench-cnn", images: $images, topK: 3) { predictions { label probability } } }';
  const auth = { authorization: `Bearer ${me.token}` };
  lines.push('', '### Image predict over GraphQL', '', "Base64 28×28 PNGs decoded on the API side, the version's normalisation, the CNN in a micro-batch; concurrency 8.", '');
  lines.push('| images per request | requests/s | images/s | p99 |', '|---|---|---|---|');
  for (const n of [1, 32]) {
    const body = JSON.stringify({ query, variables: { images: Array(n).fill(png) } });
    await load(me.url, body, auth, 8, 1); // warm-up
    const r = await load(me.url, body, auth, 8, SECONDS);
    lines.push(`| ${n} | ${Math.round(r.rps)} | **${Math.round(r.rps * n)}** | ${r.p99ms} ms |`);
  }
  return lines;
}

if (require.main === module) {
  (async () => {
    const server = await demoServer();
    try {
      const me = await demoTenant(server, 'bench');
      console.log((await runImageBench(me, server.wsUrl)).join('\n'));
    } finally {
      await server.stop();
    }
  })().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
