/**
 * `npm run demo`: the main job against a live server, as a user would run it.
 *
 * Uses MAAS_URL (+ MAAS_ADMIN_SECRET) when given; otherwise starts `node dist/src/main.js` on a
 * free port with a throwaway embedded PostgreSQL (or DATABASE_URL when set), and stops it after.
 * Creates a tenant, uploads the Pima CSV, starts the Keras reference run, prints each epoch as
 * the subscription delivers it, the test-set metrics, three held-out predictions and an explanation of the first.
 * Exits 0 when the test accuracy is at least 0.70.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collect, gqlOk, uploadFile, wsClient, type Caller } from '../src/client/graphql-client';
import { KERAS_SPEC } from '../src/client/reference-job';
import { freePort } from '../src/lib/net';
import { projectRoot } from '../src/lib/paths';
import { splitRows } from '../src/ml/random';

const ROOT = projectRoot();
const PIMA = path.join(ROOT, 'data', 'pima-diabetes.csv');
const MIN_ACCURACY = 0.7;

const SPEC = { ...KERAS_SPEC, testFraction: 0.2, seed: 42 };

async function startLocalServer(): Promise<{ url: string; wsUrl: string; adminSecret: string; stop(): Promise<void> }> {
  const port = await freePort();
  const adminSecret = crypto.randomBytes(24).toString('base64url');
  const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maas-demo-'));
  fs.chmodSync(pgDir, 0o777); // the embedded server runs as OS user `postgres` when we are root
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    ADMIN_SECRET: adminSecret,
    EMBEDDED_PG_DIR: path.join(pgDir, 'data'),
    EMBEDDED_PG_PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
  };
  console.log(`Starting a server on port ${port} (${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL in ' + pgDir}) ...`);
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'dist', 'src', 'main.js')], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error('the server did not become ready within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    wsUrl: url.replace('http', 'ws'),
    adminSecret,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(pgDir, { recursive: true, force: true });
    },
  };
}

const fmt = (x: number | null | undefined, digits = 4) => (x == null ? '   -  ' : x.toFixed(digits));

async function main(): Promise<number> {
  const given = process.env.MAAS_URL?.replace(/\/+$/, '');
  const external = given && !given.endsWith('/graphql') ? `${given}/graphql` : given;
  const server = external
    ? { url: external, wsUrl: external.replace(/^http/, 'ws'), adminSecret: process.env.MAAS_ADMIN_SECRET ?? '', stop: async () => undefined }
    : await startLocalServer();
  try {
    const info = await gqlOk({ url: server.url }, '{ serverInfo { version tfBackend } }');
    console.log(`Server ${server.url}: version ${info.serverInfo.version}, TF.js backend '${info.serverInfo.tfBackend}'`);

    const tenantName = `demo-${crypto.randomBytes(3).toString('hex')}`;
    const created = await gqlOk(
      { url: server.url, headers: { 'x-admin-secret': server.adminSecret } },
      'mutation($n: String!) { createTenant(name: $n) { tenant { id name } apiKey } }',
      { n: tenantName },
    );
    const me: Caller = { url: server.url, token: created.createTenant.apiKey };
    console.log(`Tenant '${tenantName}' created; API key ${created.createTenant.apiKey.slice(0, 11)}… (shown once)`);

    const csv = fs.readFileSync(PIMA, 'utf8');
    const uploaded = await uploadFile(me, 'pima-indians-diabetes', 'pima-diabetes.csv', csv);
    if (uploaded.errors) throw new Error(JSON.stringify(uploaded.errors));
    const dataset = uploaded.data!.uploadDataset;
    console.log(`Dataset uploaded: ${dataset.rowCount} rows, columns ${dataset.columns.map((c: { name: string }) => c.name).join(', ')}`);

    const started = await gqlOk(me, `mutation($input: StartTrainingRunInput!) { startTrainingRun(input: $input) { id status } }`, {
      input: { datasetId: dataset.id, targetColumn: 'Outcome', modelName: 'diabetes', spec: SPEC },
    });
    const runId = started.startTrainingRun.id;
    console.log(`Training run ${runId} is ${started.startTrainingRun.status}; streaming progress:`);

    const client = wsClient(server.wsUrl, me.token);
    const stream = collect<{ trainingProgress: Record<string, any> }>(
      client,
      `subscription($runId: ID!) { trainingProgress(runId: $runId) {
        kind status epoch epochs loss accuracy elapsedMs failureCode failureMessage
        modelVersion { version metrics { accuracy rocAuc f1 logLoss testRows confusionMatrix } } } }`,
      { runId },
    );
    let printed = 0;
    const timer = setInterval(() => {
      for (; printed < stream.events.length; printed++) {
        const e = stream.events[printed].data?.trainingProgress;
        if (e?.kind === 'EPOCH') {
          console.log(`  epoch ${String(e.epoch).padStart(2)}/${e.epochs}  loss ${fmt(e.loss)}  accuracy ${fmt(e.accuracy)}  (${Math.round(e.elapsedMs)} ms)`);
        }
      }
    }, 20);
    const events = await stream.done;
    clearInterval(timer);
    for (; printed < events.length; printed++) {
      const e = events[printed].data?.trainingProgress;
      if (e?.kind === 'EPOCH') console.log(`  epoch ${String(e.epoch).padStart(2)}/${e.epochs}  loss ${fmt(e.loss)}  accuracy ${fmt(e.accuracy)}  (${Math.round(e.elapsedMs)} ms)`);
    }
    await client.dispose();
    const final = events[events.length - 1];
    if (final.errors) throw new Error(JSON.stringify(final.errors));
    const end = final.data!.trainingProgress;
    if (end.status !== 'SUCCEEDED') throw new Error(`run ended ${end.status}: ${end.failureCode} ${end.failureMessage}`);
    const m = end.modelVersion.metrics;
    console.log(`Run SUCCEEDED -> model 'diabetes' version ${end.modelVersion.version}`);
    console.log(`Test set (${m.testRows} held-out rows): accuracy ${fmt(m.accuracy)}, ROC AUC ${fmt(m.rocAuc)}, F1 ${fmt(m.f1)}, log loss ${fmt(m.logLoss)}`);
    console.log(`Confusion matrix [actual][predicted]: ${JSON.stringify(m.confusionMatrix)}`);

    // Three patients from the held-out split (the server's split for this seed and fraction).
    const [header, ...lines] = csv.trim().split('\n');
    const names = header.split(',');
    const heldOut = splitRows(lines.length, SPEC.testFraction, 0, SPEC.seed).test.slice(0, 3);
    const patients = heldOut.map((i) => lines[i].split(',').map(Number));
    const rows = patients.map((p) => Object.fromEntries(names.slice(0, 8).map((n, j) => [n, p[j]])));
    const predicted = await gqlOk(me, 'query($rows: [JSONObject!]!) { predict(model: "diabetes", rows: $rows) { version predictions { label probability } } }', { rows });
    console.log('Predictions for three held-out patients:');
    predicted.predict.predictions.forEach((p: { label: string; probability: number }, k: number) => {
      const r = rows[k];
      console.log(`  patient #${heldOut[k] + 1}: Glucose ${r.Glucose}, BMI ${r.BMI}, Age ${r.Age} -> Outcome ${p.label} (p=${fmt(p.probability, 3)}), actual ${patients[k][8]}`);
    });
    const explained = await gqlOk(
      me,
      'query($rows: [JSONObject!]!) { explain(model: "diabetes", rows: $rows) { explanations { value baseValue attributions { feature attribution } } } }',
      { rows: rows.slice(0, 1) },
    );
    const why = explained.explain.explanations[0];
    const top = why.attributions.slice(0, 3).map((a: { feature: string; attribution: number }) => `${a.feature} ${a.attribution >= 0 ? '+' : ''}${fmt(a.attribution, 3)}`);
    console.log(`Why patient #${heldOut[0] + 1}: P(Outcome 1) ${fmt(why.value, 3)} vs ${fmt(why.baseValue, 3)} for a typical patient; largest contributions ${top.join(', ')}`);
    if (m.accuracy < MIN_ACCURACY) {
      console.error(`Test accuracy ${fmt(m.accuracy)} is below ${MIN_ACCURACY}`);
      return 1;
    }
    console.log('Demo finished: OK');
    return 0;
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('Demo failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
