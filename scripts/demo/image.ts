/**
 * `npm run demo -- image`: image recognition through the API. Creates a tenant, uploads MNIST's
 * 10,000 test images as IDX files (shared data), shows the profile, trains a convolutional network
 * on the first 8,000 (fixed split) with live progress, classifies three real PNG digits with top-3
 * labels, prints a 7×7 occlusion map of one, and ends with one machine-readable line
 * `RESULT accuracy=<test accuracy on the other 2,000>`. Exits 0 when it is at least 0.98.
 */
import fs from 'node:fs';
import {
  DemoImageExplainDocument,
  DemoImagePredictDocument,
  DemoImageProgressDocument,
  DemoStartTrainingRunDocument,
  DemoUploadMnistDocument,
  type ModelSpecInput,
} from '../../src/client/generated/graphql';
import { collect, gqlOk, gqlUpload, wsClient, type Caller } from '../../src/client/graphql-client';
import { MNIST_CNN_LAYERS, MNIST_CNN_OPTIMIZER } from '../../src/client/mnist-job';
import { sharedDataFile } from '../../src/lib/paths';
import { demoTenant, fmt, type DemoServer } from './server';

const MIN_ACCURACY = 0.98;

/** uploadImageDataset with the two IDX files, as a GraphQL multipart request. */
async function uploadMnist(me: Caller) {
  const file = (name: string) => ({ filename: name, content: fs.readFileSync(sharedDataFile('mnist', name)) });
  const body = await gqlUpload(
    me,
    DemoUploadMnistDocument,
    { images: null, labels: null },
    { images: file('t10k-images-idx3-ubyte.gz'), labels: file('t10k-labels-idx1-ubyte.gz') },
  );
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!.uploadImageDataset;
}

/** Runs the image scenario; resolves to the exit code. */
export async function runImageDemo(server: DemoServer): Promise<number> {
  const me = await demoTenant(server);
  const dataset = await uploadMnist(me);
  const p = dataset.imageProfile!;
  console.log(`Dataset uploaded: ${p.count} images of ${p.height}×${p.width}×${p.channels}, stored as one tensor (${dataset.sizeBytes} bytes)`);
  console.log(`  per class: ${p.classes.map((c) => `${c.label}:${c.count}`).join(' ')}`);
  console.log(`  pixel mean ${fmt(p.channelMean[0], 1)}, std ${fmt(p.channelStd[0], 1)} (0-255)`);

  const spec: ModelSpecInput = {
    model: 'CONVOLUTIONAL_NETWORK',
    layers: MNIST_CNN_LAYERS,
    optimizer: MNIST_CNN_OPTIMIZER,
    epochs: 5,
    batchSize: 32,
    orderedSplit: true,
    testFraction: 0.2,
    seed: 42,
  };
  const started = await gqlOk(me, DemoStartTrainingRunDocument, {
    input: { datasetId: dataset.id, targetColumn: 'label', modelName: 'digits', spec },
  });
  console.log(`Training run ${started.startTrainingRun.id} is ${started.startTrainingRun.status} (train on images 1-8,000, test on 8,001-10,000); progress:`);
  const client = wsClient(server.wsUrl, me.token);
  const stream = collect(client, DemoImageProgressDocument, { runId: started.startTrainingRun.id });
  let printed = 0;
  const print = () => {
    for (; printed < stream.events.length; printed++) {
      const e = stream.events[printed]!.data?.trainingProgress;
      if (e?.kind !== 'EPOCH') continue;
      const ms = e.elapsedMs ?? 0;
      console.log(`  epoch ${e.epoch}/${e.epochs}  loss ${fmt(e.loss)}  accuracy ${fmt(e.accuracy)}  (${Math.round(ms)} ms, ${Math.round(8000 / (ms / 1000))} images/s)`);
    }
  };
  const timer = setInterval(print, 50);
  const events = await stream.done;
  clearInterval(timer);
  print();
  await client.dispose();
  const end = events[events.length - 1]!.data!.trainingProgress;
  if (end.status !== 'SUCCEEDED') throw new Error(`run ended ${end.status}: ${end.failureCode} ${end.failureMessage}`);
  const m = end.modelVersion!.metrics;
  console.log(`Run SUCCEEDED -> model 'digits' version ${end.modelVersion!.version}; test set (${m.testRows} images): accuracy ${fmt(m.accuracy)}, macro F1 ${fmt(m.macroF1)}`);

  const files = ['t10k-00000-label7.png', 't10k-00001-label2.png', 't10k-00002-label1.png'];
  const images = files.map((f) => fs.readFileSync(sharedDataFile('mnist', 'png-samples', f)).toString('base64'));
  const predicted = await gqlOk(me, DemoImagePredictDocument, { images });
  console.log('predictImage on three PNG files:');
  predicted.predictImage.predictions.forEach((pr, i) => console.log(`  ${files[i]}: ${pr.top.map((t) => `${t.label} (${fmt(t.probability, 3)})`).join(', ')}`));
  const why = await gqlOk(me, DemoImageExplainDocument, { image: images[0] });
  console.log(`explainImage of ${files[0]}: P(${why.explainImage.label}) ${fmt(why.explainImage.probability, 3)}; drop when each 4×4 cell is covered:`);
  for (const row of why.explainImage.attributions) console.log(`  ${row.map((v) => (v >= 0 ? ' ' : '') + v.toFixed(3)).join(' ')}`);
  console.log(`RESULT accuracy=${m.accuracy}`);
  if ((m.accuracy ?? 0) < MIN_ACCURACY) {
    console.error(`Test accuracy ${fmt(m.accuracy)} is below ${MIN_ACCURACY}`);
    return 1;
  }
  return 0;
}
