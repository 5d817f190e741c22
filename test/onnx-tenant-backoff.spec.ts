/**
 * One tenant cannot crash the shared ONNX host again and again with many different bad files
 * (issue 10; src/ml/serving/tenant-fault-backoff.ts): tenant A uploads three *distinct* faulty files
 * — the real mnist-8 model with a different doc_string appended (a valid ONNX file each, so each
 * has its own checksum and the quarantine by file does not catch them) — whose inference fails for
 * real (ONNX_HOST_FAULT_INJECTION keyed on each checksum: two abort their host, the third hangs
 * until ONNX_INFER_TIMEOUT_MS kills it). After the third fault (SERVING_TENANT_MAX_FAULTS, default
 * 3, within the default 600 s window) A's ONNX calls, on its healthy model too, are refused at
 * once without reaching the host, for SERVING_TENANT_BACKOFF_SECONDS (2 here); B's ONNX infer and
 * A's TF.js predict answer right throughout; after the back-off A's healthy model answers again.
 * The same inline (SERVING_ISOLATION=inline: one ONNX host for the process).
 */
import { createHash } from 'node:crypto';
import type { App } from '../src/app';
import { gql, gqlOk, type GqlResult } from '../src/client/graphql-client';
import { PIMA_ROW } from '../src/client/reference-job';
import { startAppOnWorkerDatabase, startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { argmax, mnistDigitInput, mnistTestImages, modelFile, onnxHostProcesses, uploadModel } from './support/onnx-uploads';
import { PREDICT } from './support/predict';
import { trainVersion } from './support/training';

const INFER = `query($model: String!, $inputs: [InferTensorInput!]!) { infer(model: $model, inputs: $inputs) { outputs { name datatype shape data } } }`;
const HANG_MS = 1500; // ONNX_INFER_TIMEOUT_MS: the third file's hang is killed after this
const BACKOFF_SECONDS = 2; // SERVING_TENANT_BACKOFF_SECONDS

/** mnist-8 with a doc_string field (ModelProto field 6) appended: valid protobuf (the last value wins), another checksum. */
const variant = (doc: string) => {
  const text = Buffer.from(doc);
  return Buffer.concat([modelFile('mnist-8.onnx'), Buffer.from([(6 << 3) | 2, text.length]), text]);
};
const BAD = [variant('variant 1'), variant('variant 2'), variant('variant 3')];
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const FAULTS = `${sha(BAD[0]!).slice(0, 16)}:infer:abort,${sha(BAD[1]!).slice(0, 16)}:infer:abort,${sha(BAD[2]!).slice(0, 16)}:infer:hang`;

const mnist = mnistTestImages(4);
const digit = (i: number) => mnistDigitInput(mnist, i);
const errorOf = (r: GqlResult) => r.errors?.[0];
const hostProcesses = onnxHostProcesses;

let app: App;
let a: TenantBundle;
let b: TenantBundle;
const bad: string[] = [];

const inferOn = (t: TenantBundle, model: string, i: number) => gql(t, INFER, { model, inputs: digit(i) });
const label = (r: GqlResult) => {
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return argmax(r.data!.infer.outputs[0].data as number[]);
};
const predictA = () => gqlOk(a, PREDICT, { model: 'diabetes', rows: [PIMA_ROW] }).then((r) => r.predict.predictions);
const on = (t: TenantBundle): TenantBundle => ({ ...t, url: app.server.url, wsUrl: app.server.wsUrl });
const message = (left: number | string) =>
  `This tenant's ONNX models crashed the shared ONNX runtime 3 times within 600 seconds (SERVING_TENANT_MAX_FAULTS=3, SERVING_TENANT_FAULT_WINDOW_SECONDS=600): its ONNX scoring calls are refused for ${left} more seconds`;
// One ONNX host per scoring thread: B's call waits in the lane behind A's hang too, and the back-off must not fail it.
const settings = { ONNX_HOST_FAULT_INJECTION: FAULTS, ONNX_INFER_TIMEOUT_MS: String(HANG_MS), SERVING_TENANT_BACKOFF_SECONDS: String(BACKOFF_SECONDS), ONNX_HOSTS_PER_THREAD: '1' };

/** Waits until the scoring shards' ONNX lane has `running` calls running and `waiting` waiting (polling, 5 s at most). */
async function hostLane(running: number, waiting: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const q = app.threads.scoring!.queueStats().host;
    if (q.running === running && q.waiting === waiting) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`the ONNX lane never had ${running} running and ${waiting} waiting: ${JSON.stringify(app.threads.scoring!.queueStats())}`);
}

describe("on scoring threads (the shard's ONNX host)", () => {
  beforeAll(async () => {
    app = await startTestApp({ ...settings, BATCH_MAX_ROWS: '1' }); // BATCH_MAX_ROWS: each call is a call of its own in the ONNX lane
    a = await createTenant(app, 'backoff-a');
    b = await createTenant(app, 'backoff-b');
    for (const [i, bytes] of BAD.entries()) {
      const r = await uploadModel(a, `bad-${i + 1}`, `bad-${i + 1}.onnx`, bytes);
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      expect(r.data!.uploadModelVersion.onnx.sha256).toBe(sha(bytes)); // three distinct files
      bad.push(r.data!.uploadModelVersion.id);
    }
    for (const t of [a, b]) {
      const r = await uploadModel(t, 'digits', 'mnist-8.onnx', modelFile('mnist-8.onnx'));
      if (r.errors) throw new Error(JSON.stringify(r.errors));
    }
    const datasetId = await uploadCsv(a, PIMA_CSV, 'pima');
    await trainVersion(a, { datasetId, targetColumn: 'Outcome', modelName: 'diabetes', spec: { ...KERAS_SPEC, epochs: 1 } });
  }, 120_000);
  afterAll(async () => {
    await app.stop();
    expect(hostProcesses()).toEqual([]);
  });

  it("A's third host fault within the window backs A off: its waiting and next ONNX calls, on a healthy model too, are refused at once (QUOTA_EXCEEDED, HOST_FAULT_BACKOFF); B's infer and A's TF.js predict answer right; after the back-off A's model answers again", async () => {
    expect(label(await inferOn(a, 'digits', 0))).toBe(mnist.label(0));
    expect(label(await inferOn(b, 'digits', 0))).toBe(mnist.label(0));
    const expected = await predictA(); // loaded before the faults
    const faults = app.threads.scoring!.stats().faults;

    // Two faults: each version fails alone (and is quarantined); A is not backed off yet.
    for (const i of [0, 1]) {
      const err = errorOf(await inferOn(a, `bad-${i + 1}`, 1))!;
      expect(err.extensions).toMatchObject({ code: 'MODEL_NOT_READY', fault: 'RUNTIME_FAULT', modelVersionId: bad[i] });
      expect(err.message).toMatch(/\(ONNX host: the process was killed by SIGABRT\)/);
    }
    expect(label(await inferOn(a, 'digits', 1))).toBe(mnist.label(1));

    // The third hangs; meanwhile two calls of A's healthy model and one of B's wait in the ONNX lane.
    const third = inferOn(a, 'bad-3', 2);
    await hostLane(1, 0);
    const waitingA = [inferOn(a, 'digits', 2), inferOn(a, 'digits', 3)];
    const waitingB = inferOn(b, 'digits', 2);
    await hostLane(1, 3);
    const hung = errorOf(await third)!;
    expect(hung.extensions).toMatchObject({ code: 'MODEL_NOT_READY', fault: 'RUNTIME_FAULT', modelVersionId: bad[2] });
    expect(hung.message).toMatch(new RegExp(`\\(ONNX host: it took longer than ${HANG_MS} ms\\)`));
    for (const r of await Promise.all(waitingA)) {
      expect(errorOf(r)!.extensions).toMatchObject({ code: 'QUOTA_EXCEEDED', reason: 'HOST_FAULT_BACKOFF', limit: 3 });
      expect(errorOf(r)!.message).toMatch(new RegExp(`^${message('\\d+').replace(/[()]/g, '\\$&')}$`));
    }
    expect(label(await waitingB)).toBe(mnist.label(2));
    expect(app.threads.scoring!.stats().faults).toBe(faults + 3);

    // A's next call, of its healthy model, is refused at once: not sent to the host (no fault, the same host).
    const hosts = hostProcesses();
    const refused = errorOf(await inferOn(a, 'digits', 3))!;
    const left = refused.extensions!.retryAfterSeconds as number;
    expect([1, BACKOFF_SECONDS]).toContain(left);
    expect(refused.extensions).toEqual({ code: 'QUOTA_EXCEEDED', reason: 'HOST_FAULT_BACKOFF', retryAfterSeconds: left, limit: 3, windowSeconds: 600 });
    expect(refused.message).toBe(message(left));
    expect(app.threads.scoring!.stats().faults).toBe(faults + 3);
    expect(hostProcesses()).toEqual(hosts);

    // Other tenants' ONNX calls and A's own TF.js model are not affected.
    const [bLabel, predictions] = await Promise.all([inferOn(b, 'digits', 3).then(label), predictA()]);
    expect(bLabel).toBe(mnist.label(3));
    expect(predictions).toEqual(expected);

    // After the back-off: A's healthy model answers again; its faulty versions stay quarantined by version.
    await new Promise((r) => setTimeout(r, left * 1000 + 100));
    expect(label(await inferOn(a, 'digits', 3))).toBe(mnist.label(3));
    const stillQuarantined = errorOf(await inferOn(a, 'bad-1', 0))!;
    expect(stillQuarantined.extensions).toMatchObject({ code: 'MODEL_NOT_READY', fault: 'RUNTIME_FAULT', modelVersionId: bad[0] });
    expect(app.threads.scoring!.stats().faults).toBe(faults + 3);
  }, 60_000);
});

describe('inline (SERVING_ISOLATION=inline: one ONNX host for the process)', () => {
  beforeAll(async () => {
    app = await startAppOnWorkerDatabase({ ...settings, SERVING_ISOLATION: 'inline', WORKER_ENABLED: 'false' });
    [a, b] = [on(a), on(b)];
  });
  afterAll(async () => {
    await app.stop();
    expect(hostProcesses()).toEqual([]);
  });

  it('counts the faults of A’s three files in this process and backs A off the same way; B and A’s TF.js model answer', async () => {
    const expected = await predictA();
    for (const i of [0, 1, 2]) {
      const err = errorOf(await inferOn(a, `bad-${i + 1}`, 1))!;
      expect(err.extensions).toMatchObject({ code: 'MODEL_NOT_READY', fault: 'RUNTIME_FAULT', modelVersionId: bad[i] });
      if (i < 2) expect(label(await inferOn(a, 'digits', 1))).toBe(mnist.label(1)); // not backed off before the third
    }
    const refused = errorOf(await inferOn(a, 'digits', 2))!;
    const left = refused.extensions!.retryAfterSeconds as number;
    expect([1, BACKOFF_SECONDS]).toContain(left);
    expect(refused.extensions).toEqual({ code: 'QUOTA_EXCEEDED', reason: 'HOST_FAULT_BACKOFF', retryAfterSeconds: left, limit: 3, windowSeconds: 600 });
    expect(refused.message).toBe(message(left));
    expect(label(await inferOn(b, 'digits', 2))).toBe(mnist.label(2));
    expect(await predictA()).toEqual(expected);
    await new Promise((r) => setTimeout(r, left * 1000 + 100));
    expect(label(await inferOn(a, 'digits', 2))).toBe(mnist.label(2));
  }, 60_000);
});
