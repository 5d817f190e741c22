/**
 * `npm run demo` (scenario `tabular`, the default): creates a tenant, uploads the Pima CSV, starts
 * the Keras reference run, prints each epoch as the subscription delivers it, the test-set metrics,
 * three held-out predictions and an explanation of the first. Exits 0 when the test accuracy is at
 * least 0.70.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DemoStartTrainingRunDocument, DemoTabularExplainDocument, DemoTabularPredictDocument, DemoTabularProgressDocument } from '../../src/client/generated/graphql';
import { collect, gqlOk, uploadFile, wsClient } from '../../src/client/graphql-client';
import { KERAS_SPEC } from '../../src/client/reference-job';
import { projectRoot } from '../../src/lib/paths';
import { splitRows } from '../../src/ml/random';
import { demoTenant, fmt, type DemoServer } from './server';

const PIMA = path.join(projectRoot(), 'data', 'pima-diabetes.csv');
const MIN_ACCURACY = 0.7;

const SPEC = { ...KERAS_SPEC, testFraction: 0.2, seed: 42 };

/** Runs the tabular scenario; resolves to the exit code. */
export async function runTabularDemo(server: DemoServer): Promise<number> {
  const me = await demoTenant(server);

  const csv = fs.readFileSync(PIMA, 'utf8');
  const uploaded = await uploadFile(me, 'pima-indians-diabetes', 'pima-diabetes.csv', csv);
  if (uploaded.errors) throw new Error(JSON.stringify(uploaded.errors));
  const dataset = uploaded.data!.uploadDataset;
  console.log(`Dataset uploaded: ${dataset.rowCount} rows, columns ${dataset.columns.map((c) => c.name).join(', ')}`);

  const started = await gqlOk(me, DemoStartTrainingRunDocument, {
    input: { datasetId: dataset.id, targetColumn: 'Outcome', modelName: 'diabetes', spec: SPEC },
  });
  const runId = started.startTrainingRun.id;
  console.log(`Training run ${runId} is ${started.startTrainingRun.status}; streaming progress:`);

  const client = wsClient(server.wsUrl, me.token);
  const stream = collect(client, DemoTabularProgressDocument, { runId });
  let printed = 0;
  const flush = () => {
    for (; printed < stream.events.length; printed++) {
      const e = stream.events[printed].data?.trainingProgress;
      if (e?.kind === 'EPOCH')
        console.log(`  epoch ${String(e.epoch).padStart(2)}/${e.epochs}  loss ${fmt(e.loss)}  accuracy ${fmt(e.accuracy)}  (${Math.round(e.elapsedMs ?? 0)} ms)`);
    }
  };
  const timer = setInterval(flush, 20);
  const events = await stream.done;
  clearInterval(timer);
  flush();
  await client.dispose();
  const final = events[events.length - 1];
  if (final.errors) throw new Error(JSON.stringify(final.errors));
  const end = final.data!.trainingProgress;
  if (end.status !== 'SUCCEEDED') throw new Error(`run ended ${end.status}: ${end.failureCode} ${end.failureMessage}`);
  const version = end.modelVersion!;
  const m = version.metrics;
  console.log(`Run SUCCEEDED -> model 'diabetes' version ${version.version}`);
  console.log(`Test set (${m.testRows} held-out rows): accuracy ${fmt(m.accuracy)}, ROC AUC ${fmt(m.rocAuc)}, F1 ${fmt(m.f1)}, log loss ${fmt(m.logLoss)}`);
  console.log(`Confusion matrix [actual][predicted]: ${JSON.stringify(m.confusionMatrix)}`);

  // Three patients from the held-out split (the server's split for this seed and fraction).
  const [header, ...lines] = csv.trim().split('\n');
  const names = header.split(',');
  const heldOut = splitRows(lines.length, SPEC.testFraction, 0, SPEC.seed).test.slice(0, 3);
  const patients = heldOut.map((i) => lines[i].split(',').map(Number));
  const rows = patients.map((p) => Object.fromEntries(names.slice(0, 8).map((n, j) => [n, p[j]])));
  const predicted = await gqlOk(me, DemoTabularPredictDocument, { rows });
  console.log('Predictions for three held-out patients:');
  predicted.predict.predictions.forEach((p, k) => {
    const r = rows[k];
    console.log(`  patient #${heldOut[k] + 1}: Glucose ${r.Glucose}, BMI ${r.BMI}, Age ${r.Age} -> Outcome ${p.label} (p=${fmt(p.probability, 3)}), actual ${patients[k][8]}`);
  });
  const explained = await gqlOk(me, DemoTabularExplainDocument, { rows: rows.slice(0, 1) });
  const why = explained.explain.explanations[0];
  const top = why.attributions.slice(0, 3).map((a) => `${a.feature} ${a.attribution >= 0 ? '+' : ''}${fmt(a.attribution, 3)}`);
  console.log(`Why patient #${heldOut[0] + 1}: P(Outcome 1) ${fmt(why.value, 3)} vs ${fmt(why.baseValue, 3)} for a typical patient; largest contributions ${top.join(', ')}`);
  if ((m.accuracy ?? 0) < MIN_ACCURACY) {
    console.error(`Test accuracy ${fmt(m.accuracy)} is below ${MIN_ACCURACY}`);
    return 1;
  }
  console.log('Demo finished: OK');
  return 0;
}
