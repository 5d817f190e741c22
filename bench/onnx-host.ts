/**
 * What running onnxruntime in an ONNX host process (src/ml/families/onnx/host/) costs per call:
 * mnist-8 on one real MNIST test image per call, the family's scorer in this process (the session
 * here, as before the hosts) against the hosted scorer (the same session in a child process, one
 * IPC round trip per call), and the in-process scorer on onnxruntime-web (ONNX_RUNTIME=web). `npm run bench` prints it; `node dist/bench/onnx-host.js` alone too.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'fflate';
import { sharedDataFile } from '../src/lib/paths';
import { closeOnnxHosts } from '../src/ml/families/onnx/host/hosts';
import { hostedOnnxScorer } from '../src/ml/families/onnx/host/hosted-scorer';
import { inspectOnnx } from '../src/ml/families/onnx/inspect';
import { servingInfo } from '../src/ml/families/onnx/metadata';
import { configureOnnxRuntime, onnxRuntimeOptions, openSession } from '../src/ml/families/onnx/runtime';
import { onnxScorer } from '../src/ml/families/onnx/scorer';
import type { Scorer } from '../src/ml/families/model-family';
import { INFER_TENSORS_METHOD, type NamedTensor } from '../src/ml/tensor-io';

/** Median and mean ms of one `inferTensors` call of `scorer`, over `seconds` after 200 warm-up calls. */
async function perCall(scorer: Scorer, input: NamedTensor[], seconds: number): Promise<{ p50ms: number; meanMs: number; calls: number }> {
  const infer = scorer.methods![INFER_TENSORS_METHOD] as (i: NamedTensor[]) => Promise<NamedTensor[]>;
  for (let i = 0; i < 200; i++) await infer(input);
  const times: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const t0 = performance.now();
    await infer(input);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50ms: times[times.length >> 1]!, meanMs: times.reduce((s, t) => s + t, 0) / times.length, calls: times.length };
}

/** @returns per-call latency in-process and via the host, and the added latency (host IPC round trip). */
export async function runOnnxHostBench(seconds: number, say: (s?: string) => void) {
  const bytes = fs.readFileSync(sharedDataFile('onnx-models', 'mnist-8.onnx'));
  const images = gunzipSync(fs.readFileSync(sharedDataFile('mnist', 't10k-images-idx3-ubyte.gz')));
  const input: NamedTensor[] = [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: Float32Array.from(images.subarray(16, 16 + 784)) }];
  const info = servingInfo(await inspectOnnx(bytes, 'mnist-8.onnx'), { sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length }, null);
  // The same model on each runtime in this process (ONNX_RUNTIME: a scorer keeps the runtime that opened its session).
  const previous = onnxRuntimeOptions();
  configureOnnxRuntime({ choice: 'node' });
  const local = onnxScorer(await openSession(bytes), info);
  configureOnnxRuntime({ choice: 'web' });
  const localWeb = onnxScorer(await openSession(bytes), info);
  configureOnnxRuntime(previous);
  const hosted = await hostedOnnxScorer(bytes, info);
  try {
    const inProcess = await perCall(local, input, seconds);
    const web = await perCall(localWeb, input, seconds);
    const viaHost = await perCall(hosted, input, seconds);
    say('## ONNX host process: added latency per call (mnist-8, one image, 1 caller)');
    say();
    say('| | p50 ms | mean ms | calls |');
    say('|---|---|---|---|');
    say(`| in-process session (onnxruntime-node) | ${inProcess.p50ms.toFixed(3)} | ${inProcess.meanMs.toFixed(3)} | ${inProcess.calls} |`);
    say(`| in-process session, onnxruntime-web (WASM, 1 thread: ONNX_RUNTIME=web) | ${web.p50ms.toFixed(3)} | ${web.meanMs.toFixed(3)} | ${web.calls} |`);
    say(`| via the ONNX host (IPC) | ${viaHost.p50ms.toFixed(3)} | ${viaHost.meanMs.toFixed(3)} | ${viaHost.calls} |`);
    say();
    say(`Added per call (p50): **${(viaHost.p50ms - inProcess.p50ms).toFixed(3)} ms**; via host / in-process: ${(viaHost.p50ms / inProcess.p50ms).toFixed(1)}×`);
    say(`onnxruntime-web / onnxruntime-node in-process (p50): **${(web.p50ms / inProcess.p50ms).toFixed(2)}×**`);
    say();
    return { inProcess, web, viaHost };
  } finally {
    local.dispose();
    localWeb.dispose();
    hosted.dispose();
    await closeOnnxHosts();
  }
}

if (require.main === module) {
  void runOnnxHostBench(Number(process.argv[2] ?? 3), (s) => console.log(s ?? ''));
}
