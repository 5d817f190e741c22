/**
 * ONNX_RUNTIME=web end to end (src/ml/families/onnx/runtime.ts): mnist-8 of the shared data uploaded
 * (validated in a throwaway ONNX host) and inferred through the GraphQL `infer` query (on a scoring
 * thread's ONNX host) on real MNIST test images, every host process started with ONNX_RUNTIME=web;
 * then a server whose onnxruntime-node "cannot load" (the test hook ONNX_RUNTIME_NODE_MODULE names a
 * missing module) under the default `auto`: it says so in its start-up log, falls back to web and
 * answers the same scores. The numbers web vs node: test/unit/onnx-runtime-web.spec.ts.
 */
import fs from 'node:fs';
import { gqlOk } from '../src/client/graphql-client';
import { migrate } from '../src/lib/migrate';
import { startTestAppWithLogs } from './support/app';
import { truncateAll, workerDatabaseUrl } from './support/database';
import { createTenant, type TenantBundle } from './support/factories';
import { argmax, mnistDigitInput, mnistTestImages, onnxHostProcesses, uploadModelOk } from './support/onnx-uploads';

const INFER = `query($model: String!, $inputs: [InferTensorInput!]!) { infer(model: $model, inputs: $inputs) { outputs { name datatype shape data } } }`;
const MISSING = 'onnxruntime-node-missing-for-test';
const images = mnistTestImages(10);

/** The API on this worker's database with `env`, its log lines kept (info and up). */
const start = (env: Record<string, string>) => startTestAppWithLogs(env, false);

/** ONNX_RUNTIME in the environment of each ONNX host process of this test process. */
const hostRuntimes = () =>
  onnxHostProcesses().map((l) => {
    const pid = l.trim().split(/\s+/)[0];
    const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    return env.find((e) => e.startsWith('ONNX_RUNTIME='));
  });

/** mnist-8's 10 logits for the first 10 test images through GraphQL `infer`, with their labels checked. */
async function digits(t: TenantBundle): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < 10; i++) {
    const r = await gqlOk(t, INFER, { model: 'mnist', inputs: mnistDigitInput(images, i) });
    expect(r.infer.outputs[0]).toMatchObject({ name: 'Plus214_Output_0', datatype: 'FP32', shape: [1, 10] });
    out.push(r.infer.outputs[0].data as number[]);
  }
  return out;
}

let scoresOnWeb: number[][];
let tenant: TenantBundle;

beforeAll(async () => {
  await migrate(workerDatabaseUrl());
  await truncateAll(workerDatabaseUrl());
});

it('ONNX_RUNTIME=web: serverInfo says web, mnist-8 uploads and infers over GraphQL in hosts started with web', async () => {
  const { app, lines } = await start({ ONNX_RUNTIME: 'web' });
  try {
    expect(lines.filter((l) => /^ONNX runtime/.test(l.msg))).toEqual([
      expect.objectContaining({ level: 30, msg: 'ONNX runtime: onnxruntime-web', onnxRuntime: { requested: 'web', runtime: 'web', version: '1.30.0' } }),
    ]);
    expect((await gqlOk({ url: app.server.url }, '{ serverInfo { onnxRuntime } }')).serverInfo).toEqual({ onnxRuntime: 'web' });
    tenant = await createTenant(app, 'ortweb-a');
    const v = await uploadModelOk(tenant, 'mnist', 'mnist-8.onnx');
    expect(v.onnx.inputs).toEqual([{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], dimNames: [null, null, null, null], batchDimension: 0 }]);
    scoresOnWeb = await digits(tenant);
    expect(scoresOnWeb.map(argmax)).toEqual(Array.from({ length: 10 }, (_, i) => images.label(i)));
    const runtimes = hostRuntimes();
    expect(runtimes.length).toBeGreaterThanOrEqual(1); // the scoring thread's host (the upload's throwaway host has ended)
    expect(new Set(runtimes)).toEqual(new Set(['ONNX_RUNTIME=web']));
  } finally {
    await app.stop();
  }
}, 120_000);

it('auto where onnxruntime-node cannot load: the start-up log says it fell back and why, and web answers the same scores', async () => {
  const { app, lines } = await start({ ONNX_RUNTIME_NODE_MODULE: MISSING });
  try {
    const said = lines.filter((l) => /^ONNX runtime/.test(l.msg));
    expect(said).toEqual([expect.objectContaining({ level: 40, msg: 'ONNX runtime: onnxruntime-web (WASM), since onnxruntime-node cannot load here' })]);
    expect(said[0].onnxRuntime).toMatchObject({ requested: 'auto', runtime: 'web', version: '1.30.0', fallbackReason: expect.stringContaining(`Cannot find module '${MISSING}'`) });
    expect((await gqlOk({ url: app.server.url }, '{ serverInfo { onnxRuntime } }')).serverInfo).toEqual({ onnxRuntime: 'web' });
    // The model uploaded above, on this server: the same scores, in a host handed the decided runtime.
    expect(await digits({ ...tenant, url: app.server.url, wsUrl: app.server.wsUrl })).toEqual(scoresOnWeb);
    expect(new Set(hostRuntimes())).toEqual(new Set(['ONNX_RUNTIME=web']));
  } finally {
    await app.stop();
  }
}, 120_000);
