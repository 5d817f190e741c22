/**
 * Uploaded ONNX models run in ONNX host processes (issue 12: "a crashing model fails alone";
 * src/ml/families/onnx/host/): a native crash or runaway memory of one model ends its host, never
 * the server. The faults are real (ONNX_HOST_FAULT_INJECTION: `process.abort()` in the host, or
 * memory allocated outside the V8 heap until the RSS watchdog kills it), on the shared data's real
 * models: tenant A's Titanic pipeline aborts its host when it runs, A's rf_iris eats memory, A's
 * ultraface crashes the host that validates its upload, A's shufflenet the host that opens it; tenant B's mnist-8 answers right throughout.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { App } from '../src/app';
import { gql, gqlOk, type GqlResult } from '../src/client/graphql-client';
import { startAppOnWorkerDatabase, startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { argmax, mnistTestImages, modelFile, uploadModel, uploadModelOk } from './support/onnx-uploads';

const INFER = `query($model: String!, $inputs: [InferTensorInput!]!) { infer(model: $model, inputs: $inputs) { outputs { name datatype shape data } } }`;
const sha = (file: string) => createHash('sha256').update(modelFile(file)).digest('hex').slice(0, 16);
const FAULTS = `${sha('pipeline_titanic_nozipmap.onnx')}:infer:abort,${sha('rf_iris.onnx')}:infer:oom,${sha('ultraface-version-RFB-320.onnx')}:inspect:abort,${sha('shufflenet-v2-12-int8.onnx')}:load:abort,${sha('super-resolution-10.onnx')}:infer:hang`;
const INFER_TIMEOUT_MS = '5000'; // a hung inference kills its host after this
const RSS_MB = '400'; // the hog's host is killed past this (a resting host with its model: ~100-200 MiB)

const on = (app: App, t: TenantBundle): TenantBundle => ({ ...t, url: app.server.url, wsUrl: app.server.wsUrl });
const errorOf = (r: GqlResult) => r.errors?.[0];
const mnist = mnistTestImages(8);
const digit = (i: number) => [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: [...mnist.pixels(i)] }];
const titanic = [
  { name: 'pclass', datatype: 'INT64', shape: [1, 1], data: [1] },
  { name: 'sex', datatype: 'BYTES', shape: [1, 1], data: ['female'] },
  { name: 'age', datatype: 'FP32', shape: [1, 1], data: [29] },
  { name: 'fare', datatype: 'FP32', shape: [1, 1], data: [211.34] },
  { name: 'embarked', datatype: 'BYTES', shape: [1, 1], data: ['S'] },
];
const iris = [{ name: 'float_input', datatype: 'FP32', shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }];

/** This process' child processes running an ONNX host. */
const hostProcesses = () =>
  execFileSync('ps', ['-ww', '-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => /host-main/.test(l));

let a: TenantBundle;
let b: TenantBundle;
let versions: Record<string, string>;

async function serveAll(app: App) {
  const ta = on(app, a);
  const tb = on(app, b);
  const inferB = (i: number) => gqlOk(tb, INFER, { model: 'digits', inputs: digit(i) }).then((r) => r.infer.outputs[0].data as number[]);
  const health = () => fetch(app.server.url.replace('/graphql', '/healthz')).then((r) => r.status);
  return { ta, tb, inferB, health };
}

describe('on scoring threads (one ONNX host per scoring shard)', () => {
  let app: App;
  beforeAll(async () => {
    app = await startTestApp({
      ONNX_HOST_FAULT_INJECTION: FAULTS,
      ONNX_HOST_MAX_RSS_MB: RSS_MB,
      ONNX_INFER_TIMEOUT_MS: INFER_TIMEOUT_MS,
      SERVING_TENANT_MAX_FAULTS: '100', // A's four faulty models fault in turn here; the per-tenant back-off is onnx-tenant-backoff.spec.ts
    });
    a = await createTenant(app, 'onnxhost-a');
    b = await createTenant(app, 'onnxhost-b');
    versions = {
      crasher: (await uploadModelOk(a, 'crasher', 'pipeline_titanic_nozipmap.onnx')).id,
      hog: (await uploadModelOk(a, 'hog', 'rf_iris.onnx')).id,
      digits: (await uploadModelOk(b, 'digits', 'mnist-8.onnx')).id,
      badLoad: (await uploadModelOk(a, 'badload', 'shufflenet-v2-12-int8.onnx')).id,
      stuck: (await uploadModelOk(a, 'stuck', 'super-resolution-10.onnx')).id,
    };
  }, 120_000);
  afterAll(async () => {
    await app.stop();
    expect(hostProcesses()).toEqual([]); // app.stop() ended every host
  });

  it("a host crash fails only the crashing version (RUNTIME_FAULT, quarantined); B's mnist-8 calls around it answer right", async () => {
    const { ta, inferB, health } = await serveAll(app);
    const expected = await Promise.all([0, 1, 2, 3].map(inferB));
    expect(expected.map(argmax)).toEqual([0, 1, 2, 3].map(mnist.label));
    const before = hostProcesses();
    expect(before).toHaveLength(1); // the shard's host, holding B's model

    const crashed = gql(ta, INFER, { model: 'crasher', inputs: titanic });
    const inFlight = [0, 1, 2, 3].map(inferB);
    const err = errorOf(await crashed)!;
    expect(err.extensions).toMatchObject({ code: 'MODEL_NOT_READY', fault: 'RUNTIME_FAULT', modelVersionId: versions.crasher, retryAfterSeconds: 300 });
    expect(err.message).toMatch(new RegExp(`^Model version '${versions.crasher}' crashed its scoring runtime \\(ONNX host: the process was killed by SIGABRT\\)`));
    expect(await Promise.all(inFlight)).toEqual(expected); // waiting behind the crash: loaded again into a fresh host

    // Quarantined: refused at once, without starting or crashing a host.
    const refused = errorOf(await gql(ta, INFER, { model: 'crasher', inputs: titanic }))!;
    expect(refused.extensions).toMatchObject({ code: 'MODEL_NOT_READY', fault: 'RUNTIME_FAULT', modelVersionId: versions.crasher });
    expect(refused.message).toMatch(/it is quarantined for \d+ more seconds/);

    // B's next calls run in a fresh host (the crashed one is gone).
    expect((await Promise.all([4, 5, 6, 7].map(inferB))).map(argmax)).toEqual([4, 5, 6, 7].map(mnist.label));
    const after = hostProcesses();
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
    expect(await health()).toBe(200);
  });

  it('a host that crashes while opening a version fails that version (RUNTIME_FAULT, quarantined) and B still answers', async () => {
    const { ta, inferB, health } = await serveAll(app);
    const image = [{ name: 'input', datatype: 'FP32', shape: [1, 3, 224, 224], data: new Array(3 * 224 * 224).fill(0.5) }];
    const err = errorOf(await gql(ta, INFER, { model: 'badload', inputs: image }))!;
    expect(err.extensions).toMatchObject({ code: 'MODEL_NOT_READY', fault: 'RUNTIME_FAULT', modelVersionId: versions.badLoad });
    expect(err.message).toMatch(/\(ONNX host: the process was killed by SIGABRT\)/);
    expect(errorOf(await gql(ta, INFER, { model: 'badload', inputs: image }))!.message).toMatch(/it is quarantined for \d+ more seconds/);
    expect(argmax(await inferB(2))).toBe(mnist.label(2));
    expect(await health()).toBe(200);
  });

  it('a host past ONNX_HOST_MAX_RSS_MB is killed: RUNTIME_FAULT for that version only', async () => {
    const { ta, inferB, health } = await serveAll(app);
    const err = errorOf(await gql(ta, INFER, { model: 'hog', inputs: iris }))!;
    expect(err.extensions).toMatchObject({ code: 'MODEL_NOT_READY', fault: 'RUNTIME_FAULT', modelVersionId: versions.hog });
    expect(err.message).toMatch(new RegExp(`ONNX host: it used \\d+ MiB of memory, over ONNX_HOST_MAX_RSS_MB=${RSS_MB}`));
    expect(argmax(await inferB(0))).toBe(mnist.label(0));
    expect(await health()).toBe(200);
  });

  it('an inference that never returns (a model stuck in a loop) is ended at ONNX_INFER_TIMEOUT_MS: RUNTIME_FAULT for that version, the shard serves B again', async () => {
    const { ta, inferB, health } = await serveAll(app);
    const image = [{ name: 'input', datatype: 'FP32', shape: [1, 1, 224, 224], data: new Array(224 * 224).fill(0.5) }];
    const err = errorOf(await gql(ta, INFER, { model: 'stuck', inputs: image }))!;
    expect(err.extensions).toMatchObject({ code: 'MODEL_NOT_READY', fault: 'RUNTIME_FAULT', modelVersionId: versions.stuck });
    expect(err.message).toMatch(new RegExp(`\\(ONNX host: it took longer than ${INFER_TIMEOUT_MS} ms\\)`));
    expect(errorOf(await gql(ta, INFER, { model: 'stuck', inputs: image }))!.message).toMatch(/it is quarantined for \d+ more seconds/);
    expect(argmax(await inferB(3))).toBe(mnist.label(3));
    expect(await health()).toBe(200);
  });

  it('an upload whose validation crashes its host is refused (INVALID_MODEL, RUNTIME_CRASH), nothing stored; the next upload works', async () => {
    const { ta, inferB, health } = await serveAll(app);
    const r = await uploadModel(ta, 'face', 'face.onnx', modelFile('ultraface-version-RFB-320.onnx'));
    expect(errorOf(r)!.extensions).toMatchObject({ code: 'INVALID_MODEL', reason: 'RUNTIME_CRASH', filename: 'face.onnx' });
    expect(errorOf(r)!.message).toBe("File 'face.onnx' crashed the ONNX runtime while it was being validated (the process was killed by SIGABRT)");
    expect(errorOf(await gql(ta, '{ model(name: "face") { versions { version } } }'))!.extensions!.code).toBe('NOT_FOUND');
    expect((await uploadModelOk(ta, 'face', 'mnist-8.onnx')).version).toBe(1);
    expect(argmax(await inferB(1))).toBe(mnist.label(1));
    expect(await health()).toBe(200);
  });
});

describe('inline (SERVING_ISOLATION=inline: one ONNX host for the process)', () => {
  let app: App;
  beforeAll(async () => {
    app = await startAppOnWorkerDatabase({ ONNX_HOST_FAULT_INJECTION: FAULTS, SERVING_ISOLATION: 'inline', WORKER_ENABLED: 'false' });
  });
  afterAll(async () => {
    await app.stop();
    expect(hostProcesses()).toEqual([]);
  });

  it('quarantines the crashing version as the threads do, and /healthz stays 200 (the server process is intact)', async () => {
    const { ta, inferB, health } = await serveAll(app);
    const expected = await inferB(2);
    const crashed = gql(ta, INFER, { model: 'crasher', inputs: titanic });
    const inFlight = [2, 2, 2].map(inferB);
    expect(errorOf(await crashed)!.extensions).toMatchObject({ code: 'MODEL_NOT_READY', fault: 'RUNTIME_FAULT', modelVersionId: versions.crasher });
    expect(await Promise.all(inFlight)).toEqual([expected, expected, expected]);
    const refused = errorOf(await gql(ta, INFER, { model: 'crasher', inputs: titanic }))!;
    expect(refused.message).toMatch(/it is quarantined for \d+ more seconds/);
    expect(argmax(await inferB(3))).toBe(mnist.label(3));
    expect(await health()).toBe(200);
  });
});
