/**
 * @jest-environment ./test/setup/onnx-environment.js
 *
 * ONNX_RUNTIME (src/ml/families/onnx/runtime.ts): onnxruntime-web's WASM backend in Node gives the
 * outputs of onnxruntime-node on real MNIST test images (mnist-8 of the shared data), side by side
 * in one process, and is timed against it; `auto` falls back to it when the native package cannot
 * load — simulated with the test hook ONNX_RUNTIME_NODE_MODULE (here `nodeModule`), which names a
 * module that does not exist in place of onnxruntime-node; and the ONNX host processes load the
 * runtime they are handed. Sessions open in ONNX host processes (onnxruntime-web cannot open one in
 * Jest's sandbox); each model loaded is unloaded (its session released: `unload` answers true), the
 * host scorers dispose their input and output tensors after each call (src/ml/families/onnx/scorer.ts),
 * and every host is closed.
 */
import { createHash } from 'node:crypto';
import { loadConfig } from '../../src/config';
import { AppError } from '../../src/lib/errors';
import { DEFAULT_HOST_SETTINGS, OnnxHost } from '../../src/ml/families/onnx/host/host-process';
import { servingInfo } from '../../src/ml/families/onnx/metadata';
import { configureOnnxRuntime, openSession, ort, resolveOnnxRuntime, type OnnxRuntimeOptions } from '../../src/ml/families/onnx/runtime';
import type { NamedTensor } from '../../src/ml/tensor-io';
import { argmax, mnistTestImages, modelFile } from '../support/onnx-uploads';

/** A module name that resolves nowhere: onnxruntime-node "cannot load" on this machine too. */
const MISSING = 'onnxruntime-node-missing-for-test';
const bytes = new Uint8Array(modelFile('mnist-8.onnx'));
const sha256 = createHash('sha256').update(bytes).digest('hex');
const images = mnistTestImages(100);
const digit = (i: number): NamedTensor[] => [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: Float32Array.from(images.pixels(i)) }];

const hosts: OnnxHost[] = [];

/** An ONNX host process started with `runtime` (closed after the spec). */
function hostWith(runtime?: OnnxRuntimeOptions): OnnxHost {
  const host = new OnnxHost({ ...DEFAULT_HOST_SETTINGS, ...(runtime ? { runtime } : {}) });
  hosts.push(host);
  return host;
}

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  configureOnnxRuntime({ choice: 'auto' });
});

it('reads ONNX_RUNTIME (default auto), naming a bad value, and refuses the ONNX_RUNTIME_NODE_MODULE test hook in production', () => {
  const base = { DATABASE_URL: 'postgresql://x@127.0.0.1/db', NODE_ENV: 'test' };
  expect([loadConfig(base).ONNX_RUNTIME, loadConfig(base).ONNX_RUNTIME_NODE_MODULE]).toEqual(['auto', undefined]);
  expect(loadConfig({ ...base, ONNX_RUNTIME: 'web', ONNX_RUNTIME_NODE_MODULE: MISSING })).toMatchObject({ ONNX_RUNTIME: 'web', ONNX_RUNTIME_NODE_MODULE: MISSING });
  expect(() => loadConfig({ ...base, ONNX_RUNTIME: 'wasm' })).toThrow(/ONNX_RUNTIME="wasm"/);
  const prod = { ...base, NODE_ENV: 'production', ADMIN_SECRET: 'a'.repeat(16), JWT_SECRET: 'j'.repeat(32) };
  expect(loadConfig({ ...prod, ONNX_RUNTIME: 'node' }).ONNX_RUNTIME).toBe('node');
  expect(() => loadConfig({ ...prod, ONNX_RUNTIME_NODE_MODULE: MISSING })).toThrow(
    'Invalid configuration: ONNX_RUNTIME_NODE_MODULE is a test hook (it replaces onnxruntime-node) and is refused when NODE_ENV=production',
  );
});

it('web gives the outputs of node on 100 real MNIST images (same top-1; max abs difference stated), timed side by side', async () => {
  // In ONNX host processes: onnxruntime-web imports its WASM glue (an .mjs) dynamically, which Jest's
  // sandbox refuses without --experimental-vm-modules; hosts are plain Node, as in the server.
  const [web, node] = [hostWith({ choice: 'web' }), hostWith({ choice: 'node' })];
  expect(await web.request({ op: 'runtime' })).toEqual({ requested: 'web', runtime: 'web', version: '1.30.0' });
  expect(await node.request({ op: 'runtime' })).toEqual({ requested: 'node', runtime: 'node', version: '1.30.0' }); // the same release of both packages
  const info = servingInfo(await web.request({ op: 'inspect', bytes, filename: 'mnist-8.onnx' }), { sha256, sizeBytes: bytes.length }, null);
  expect(await node.request({ op: 'inspect', bytes, filename: 'mnist-8.onnx' })).toEqual(await web.request({ op: 'inspect', bytes, filename: 'mnist-8.onnx' }));
  const run = async (host: OnnxHost, i: number) => (await host.request({ op: 'infer', model: 'mnist', inputs: digit(i) }))[0]!.data as Float32Array;
  for (const host of [web, node]) await host.request({ op: 'load', model: 'mnist', bytes, info });
  let maxDiff = 0;
  let maxLogit = 0;
  let sameTop1 = 0;
  let right = 0;
  for (let i = 0; i < 100; i++) {
    const [w, n] = [await run(web, i), await run(node, i)];
    expect(w).toHaveLength(10);
    for (let k = 0; k < 10; k++) {
      maxDiff = Math.max(maxDiff, Math.abs(w[k]! - n[k]!));
      maxLogit = Math.max(maxLogit, Math.abs(n[k]!));
    }
    if (argmax(w) === argmax(n)) sameTop1++;
    if (argmax(w) === images.label(i)) right++;
  }
  // Timed interleaved (web, node, web, node …) so both see the same machine load, after one warm-up round.
  const spent = { web: 0n, node: 0n };
  const rounds = 3;
  for (let round = -1; round < rounds; round++)
    for (let i = 0; i < 100; i++)
      for (const [name, host] of [
        ['web', web],
        ['node', node],
      ] as const) {
        const t0 = process.hrtime.bigint();
        await run(host, i);
        if (round >= 0) spent[name] += process.hrtime.bigint() - t0;
      }
  const us = (ns: bigint) => Number(ns) / 1000 / (rounds * 100);
  console.log(
    `mnist-8, 100 MNIST test images (raw 0-255 pixels): max |web - node| = ${maxDiff.toExponential(2)} on logits up to ${maxLogit.toFixed(0)} ` +
      `(relative ${(maxDiff / maxLogit).toExponential(2)}), same top-1 ${sameTop1}/100, web right ${right}/100; ` +
      `one image per call via the host (IPC included): web ${us(spent.web).toFixed(0)} µs/call, node ${us(spent.node).toFixed(0)} µs/call`,
  );
  // float32 logits in the thousands differ in their last bits between the two builds' kernels.
  expect(maxDiff / maxLogit).toBeLessThan(1e-6);
  expect(sameTop1).toBe(100);
  expect(right).toBeGreaterThanOrEqual(97);
  for (const host of [web, node]) expect(await host.request({ op: 'unload', model: 'mnist' })).toBe(true);
}, 120_000);

it('auto falls back to onnxruntime-web when onnxruntime-node cannot load, and says why; node alone answers NOT_SUPPORTED', async () => {
  configureOnnxRuntime({ choice: 'auto', nodeModule: MISSING });
  const info = resolveOnnxRuntime();
  expect(info).toMatchObject({ requested: 'auto', runtime: 'web', version: '1.30.0' });
  expect(info.fallbackReason).toMatch(new RegExp(`^onnxruntime-node cannot load: Cannot find module '${MISSING}'`));
  expect(ort().env.versions.web).toBe('1.30.0');
  expect(typeof ort().InferenceSession.create).toBe('function'); // (a session opens in a host below: Jest's sandbox cannot import the WASM glue)

  configureOnnxRuntime({ choice: 'node', nodeModule: MISSING });
  expect(resolveOnnxRuntime()).toMatchObject({ requested: 'node', error: expect.stringMatching(/^onnxruntime-node cannot load: Cannot find module/) });
  expect(resolveOnnxRuntime().runtime).toBeUndefined();
  let err: unknown;
  try {
    ort();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(AppError);
  expect(err).toMatchObject({ code: 'NOT_SUPPORTED', message: expect.stringMatching(/^The ONNX runtime cannot load on this server: onnxruntime-node cannot load/) });
  await expect(openSession(bytes)).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
});

it('an ONNX host process loads the runtime it is handed (env ONNX_RUNTIME) and scores with it', async () => {
  const fellBack = hostWith({ choice: 'auto', nodeModule: MISSING });
  const web = hostWith({ choice: 'web' });
  const byDefault = hostWith();
  expect(await web.request({ op: 'runtime' })).toEqual({ requested: 'web', runtime: 'web', version: '1.30.0' });
  expect(await byDefault.request({ op: 'runtime' })).toEqual({ requested: 'auto', runtime: 'node', version: '1.30.0' });
  const fallback = await fellBack.request({ op: 'runtime' });
  expect(fallback).toMatchObject({ requested: 'auto', runtime: 'web', fallbackReason: expect.stringContaining(`Cannot find module '${MISSING}'`) });

  // The same image through the fallen-back host and a node host: the same scores to float32 precision.
  const info = servingInfo(await web.request({ op: 'inspect', bytes, filename: 'mnist-8.onnx' }), { sha256, sizeBytes: bytes.length }, null);
  const scores: Float32Array[] = [];
  for (const host of [fellBack, byDefault]) {
    await host.request({ op: 'load', model: 'mnist', bytes, info });
    const [out] = await host.request({ op: 'infer', model: 'mnist', inputs: digit(0) });
    scores.push(out!.data as Float32Array);
    expect(await host.request({ op: 'unload', model: 'mnist' })).toBe(true);
  }
  expect(argmax(scores[0]!)).toBe(images.label(0));
  const scale = Math.max(...Array.from(scores[1]!, Math.abs));
  for (let k = 0; k < 10; k++) expect(Math.abs(scores[0]![k]! - scores[1]![k]!) / scale).toBeLessThan(1e-6);
}, 60_000);
