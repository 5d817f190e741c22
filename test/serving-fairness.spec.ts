/**
 * One tenant's slow or hanging models never hold another tenant's predictions (issue 10): scoring
 * calls wait in per-tenant queues, taken round-robin, in two lanes per scoring shard (in-thread
 * models / the ONNX hosts; src/ml/serving/fair-queue.ts, scoring-threads.ts). The ONNX lane has
 * ONNX_HOSTS_PER_THREAD (2) hosts and one tenant holds at most one of them, so another tenant's
 * ONNX call runs beside a hanging one instead of after it. The hang is real
 * (ONNX_HOST_FAULT_INJECTION: the host never answers super-resolution-10 until ONNX_INFER_TIMEOUT_MS
 * kills it), on one scoring shard (the default), with micro-batching off (BATCH_MAX_ROWS=1) so each
 * of tenant A's parallel calls is one call of its own. Orderings and counts are asserted, not times.
 */
import { createHash } from 'node:crypto';
import type { App } from '../src/app';
import { gql, gqlOk, type GqlResult } from '../src/client/graphql-client';
import { PIMA_ROW } from '../src/client/reference-job';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { argmax, mnistDigitInput, mnistTestImages, modelFile, onnxHostProcesses, uploadModel, uploadModelOk } from './support/onnx-uploads';
import { PREDICT } from './support/predict';
import { trainVersion } from './support/training';

const INFER = `query($model: String!, $inputs: [InferTensorInput!]!) { infer(model: $model, inputs: $inputs) { outputs { name datatype shape data } } }`;
const HANGS = 'super-resolution-10.onnx';
const sha = createHash('sha256').update(modelFile(HANGS)).digest('hex');
const CAP = 8; // SCORING_MAX_QUEUED_PER_TENANT
/** ONNX_INFER_TIMEOUT_MS: long enough that B's calls finish inside A's hang on a loaded CI machine (1 s was not). */
const HANG_MS = 5000;
const image = [{ name: 'input', datatype: 'FP32', shape: [1, 1, 224, 224], data: new Array(224 * 224).fill(0.5) }];
const mnist = mnistTestImages(2);
const digit = (i: number) => mnistDigitInput(mnist, i);
const errorOf = (r: GqlResult) => r.errors?.[0];
const hostProcesses = onnxHostProcesses;

let app: App;
let stopped = false;
let a: TenantBundle;
let b: TenantBundle;
let stuck: string;
let copy: string;

/** Waits until the scoring shards' ONNX lane has `running` calls running and `waiting` waiting (polling, 5 s at most). */
async function hostLane(running: number, waiting: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const q = app.threads.scoring!.queueStats().host;
    if (q.running === running && q.waiting === waiting) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`the ONNX lane never had ${running} running and ${waiting} waiting: ${JSON.stringify(app.threads.scoring!.queueStats())}`);
}

beforeAll(async () => {
  app = await startTestApp({
    ONNX_HOST_FAULT_INJECTION: `${sha.slice(0, 16)}:infer:hang`,
    ONNX_INFER_TIMEOUT_MS: String(HANG_MS),
    SCORING_MAX_QUEUED_PER_TENANT: String(CAP),
    BATCH_MAX_ROWS: '1',
  });
  a = await createTenant(app, 'fair-a');
  b = await createTenant(app, 'fair-b');
  stuck = (await uploadModelOk(a, 'stuck', HANGS)).id;
  copy = (await uploadModelOk(a, 'stuck-again', HANGS)).id; // the same file under another name, uploaded before it hangs
  await uploadModelOk(b, 'digits', 'mnist-8.onnx');
  const datasetId = await uploadCsv(b, PIMA_CSV, 'pima');
  await trainVersion(b, { datasetId, targetColumn: 'Outcome', modelName: 'diabetes', spec: { ...KERAS_SPEC, epochs: 1 } });
}, 120_000);
afterAll(async () => {
  if (!stopped) await app.stop();
  expect(hostProcesses()).toEqual([]);
});

it("A floods a hanging ONNX model: B's TF.js predict and B's ONNX infer answer while A's first call hangs (the infer in the other host); A's queued calls fail at once without reaching the host", async () => {
  const predictB = () => gqlOk(b, PREDICT, { model: 'diabetes', rows: [PIMA_ROW] });
  const inferB = () => gqlOk(b, INFER, { model: 'digits', inputs: digit(1) }).then((r) => argmax(r.infer.outputs[0].data));
  const expected = (await predictB()).predict.predictions; // loaded before the flood
  expect(await inferB()).toBe(mnist.label(1));
  const faults = app.threads.scoring!.stats().faults;
  const done: string[] = [];
  const track = <T>(name: string, p: Promise<T>) => p.then((v) => (done.push(name), v));

  const flood = Array.from({ length: CAP + 2 }, (_, i) => track(`a${i}`, gql(a, INFER, { model: 'stuck', inputs: image })));
  await hostLane(1, CAP - 1); // one in a host, the rest of A's cap waiting (A holds one host at most); 2 refused
  expect(await track('bInfer', inferB())).toBe(mnist.label(1)); // in the other host, A's call still hanging
  const bPredict = await track('bPredict', predictB());
  expect(bPredict.predict.predictions).toEqual(expected);
  expect(done.filter((d) => d.startsWith('a')).length).toBe(2); // only the 2 refused at once: B's infer and predict did not wait for A's hang
  await hostLane(1, CAP - 1);
  const errors = (await Promise.all(flood)).map((r) => errorOf(r)!);
  const refused = errors.filter((e) => e.extensions!.code === 'QUOTA_EXCEEDED');
  expect(refused).toHaveLength(2);
  expect(refused[0]!.extensions).toMatchObject({ limit: CAP, retryAfterSeconds: 1 });
  expect(refused[0]!.message).toMatch(new RegExp(`: ${CAP}, the most is SCORING_MAX_QUEUED_PER_TENANT=${CAP}; retry in a second$`));
  const faulted = errors.filter((e) => e.extensions!.code !== 'QUOTA_EXCEEDED');
  expect(faulted).toHaveLength(CAP);
  for (const e of faulted) expect(e.extensions).toMatchObject({ code: 'MODEL_NOT_READY', fault: 'RUNTIME_FAULT', modelVersionId: stuck });
  // One call hung and was killed; the 7 waiting behind it were failed with the quarantine's error, never run.
  expect(faulted.filter((e) => e.message.endsWith('it is quarantined for 300 seconds')).map((e) => e.message)).toEqual([
    `Model version '${stuck}' crashed its scoring runtime (ONNX host: it took longer than ${HANG_MS} ms); it is quarantined for 300 seconds`,
  ]);
  expect(faulted.filter((e) => /it is quarantined for \d+ more seconds$/.test(e.message))).toHaveLength(CAP - 1);
  expect(app.threads.scoring!.stats().faults).toBe(faults + 1); // one host killed, not one per call
  // B's infer and predict answered before A's hung call ended (only A's 2 refusals came first), not after it nor after A's backlog.
  expect(done.slice(2, 4)).toEqual(['bInfer', 'bPredict']);
  expect(app.threads.scoring!.queueStats()).toEqual({ thread: { running: 0, waiting: 0 }, host: { running: 0, waiting: 0 } });
}, 30_000);

it('the same hanging file under another name of A is refused at once (quarantined by checksum), and uploading it again too; B’s copy is not', async () => {
  const faults = app.threads.scoring!.stats().faults;
  const err = errorOf(await gql(a, INFER, { model: 'stuck-again', inputs: image }))!;
  expect(err.extensions).toMatchObject({ code: 'MODEL_NOT_READY', fault: 'RUNTIME_FAULT', modelVersionId: copy, quarantinedVersionId: stuck, sha256: sha });
  expect(err.message).toMatch(
    new RegExp(
      `^Model version '${copy}' has the same file \\(sha256 ${sha.slice(0, 16)}\\.\\.\\.\\) as version '${stuck}', which crashed its scoring runtime \\(ONNX host: it took longer than ${HANG_MS} ms\\); it is quarantined for \\d+ more seconds$`,
    ),
  );
  expect(app.threads.scoring!.stats().faults).toBe(faults); // refused without running

  const upload = errorOf(await uploadModel(a, 'stuck-3', 'sr.onnx', modelFile(HANGS)))!;
  expect(upload.extensions).toMatchObject({ code: 'INVALID_MODEL', reason: 'QUARANTINED', filename: 'sr.onnx', sha256: sha, quarantinedVersionId: stuck });
  expect(upload.message).toMatch(
    new RegExp(
      `^File 'sr.onnx' is the file of model version '${stuck}', which crashed its scoring runtime \\(ONNX host: it took longer than ${HANG_MS} ms\\); it is quarantined for \\d+ more seconds$`,
    ),
  );
  expect(errorOf(await gql(a, '{ model(name: "stuck-3") { name } }'))!.extensions!.code).toBe('NOT_FOUND'); // nothing stored

  // Another tenant's identical file is not quarantined by A's fault: it runs (and here hangs on its own).
  const theirs = (await uploadModelOk(b, 'sr', HANGS)).id;
  const own = errorOf(await gql(b, INFER, { model: 'sr', inputs: image }))!;
  expect(own.message).toBe(`Model version '${theirs}' crashed its scoring runtime (ONNX host: it took longer than ${HANG_MS} ms); it is quarantined for 300 seconds`);
  expect(app.threads.scoring!.stats().faults).toBe(faults + 1);
}, 30_000);

it('stop() with a call stuck in the host and more waiting returns at once: every call fails with SHUTTING_DOWN, no host is left', async () => {
  const c = await createTenant(app, 'fair-c');
  await uploadModelOk(c, 'stuck', HANGS);
  const faults = app.threads.scoring!.stats().faults;
  const calls = Array.from({ length: 5 }, () => gql(c, INFER, { model: 'stuck', inputs: image }));
  await hostLane(1, 4);
  await app.stop();
  stopped = true;
  const errors = (await Promise.all(calls)).map((r) => errorOf(r)!);
  // Ended by the shutdown, not by the 5 s timeout: no fault counted, nothing quarantined.
  for (const e of errors) expect(e.extensions).toMatchObject({ code: 'MODEL_NOT_READY', reason: 'SHUTTING_DOWN', retryAfterSeconds: 1 });
  expect(errors[0]!.message).toBe('The server is shutting down: this scoring call was not run; retry it');
  expect(app.threads.scoring!.stats().faults).toBe(faults);
  expect(hostProcesses()).toEqual([]);
}, 30_000);
