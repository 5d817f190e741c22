/**
 * The ONNX host process (forked by ./host-process.ts): onnxruntime (node or web: ../runtime.ts) runs here, outside the
 * server process, so a native crash (a segfault, an abort in onnxruntime's C++) or native memory
 * past its limit ends this process and the models loaded in it, never the server. Requests
 * (./protocol.ts) are answered one at a time, in order. The host ends when its parent goes away
 * (the IPC channel disconnects).
 */
import { createHash } from 'node:crypto';
import type { Scorer } from '../../model-family';
import { INFER_TENSORS_METHOD, type NamedTensor } from '../../../tensor-io';
import { inspectOnnx } from '../inspect';
import { configureOnnxRuntime, openSession, ort, resolveOnnxRuntime } from '../runtime';
import { onnxScorer } from '../scorer';
import { failHost, parseHostFaults, type HostFaultStep } from './host-faults';
import { warmUpRuntime } from './warm-up';
import { toWire, type HostRequest, type HostResponse, type LoadedInHost } from './protocol';

// The runtime the parent decided (./host-process.ts): 'node' or 'web' from a server, 'auto' otherwise.
const choice = process.env.ONNX_RUNTIME;
configureOnnxRuntime({
  choice: choice === 'node' || choice === 'web' ? choice : 'auto',
  ...(process.env.ONNX_RUNTIME_NODE_MODULE ? { nodeModule: process.env.ONNX_RUNTIME_NODE_MODULE } : {}),
});
const faults = process.env.ONNX_HOST_FAULT_INJECTION ? parseHostFaults(process.env.ONNX_HOST_FAULT_INJECTION) : [];
const models = new Map<string, { scorer: Scorer; sha256: string; measuredBytes: number }>();

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Test only: fails this process when `sha256` and `step` match ONNX_HOST_FAULT_INJECTION. */
async function maybeFail(sha256: string, step: HostFaultStep): Promise<void> {
  const fault = faults.find((f) => f.step === step && sha256.startsWith(f.sha256));
  if (fault) await failHost(fault.mode);
}

async function run(req: HostRequest): Promise<unknown> {
  switch (req.op) {
    case 'inspect': {
      if (faults.length) await maybeFail(sha256Of(req.bytes), 'inspect');
      return inspectOnnx(req.bytes, req.filename);
    }
    case 'load': {
      const sha256 = faults.length ? sha256Of(req.bytes) : '';
      if (faults.length) await maybeFail(sha256, 'load');
      let model = models.get(req.model);
      if (!model) {
        // Requests are answered one at a time, so the growth of this process' RSS while the session
        // opens is this model's (see LoadedInHost for what it misses).
        const before = process.memoryUsage.rss();
        const session = await openSession(req.bytes);
        model = { scorer: onnxScorer(session, req.info), sha256, measuredBytes: Math.max(0, process.memoryUsage.rss() - before) };
        models.set(req.model, model);
      }
      return { measuredBytes: model.measuredBytes } satisfies LoadedInHost;
    }
    case 'infer': {
      const model = models.get(req.model);
      if (!model) throw new Error(`model '${req.model}' is not loaded in this ONNX host`);
      if (faults.length) await maybeFail(model.sha256, 'infer');
      const infer = model.scorer.methods![INFER_TENSORS_METHOD] as (inputs: NamedTensor[], outputNames?: string[]) => Promise<NamedTensor[]>;
      return infer(req.inputs, req.outputNames);
    }
    case 'unload': {
      const model = models.get(req.model);
      models.delete(req.model);
      model?.scorer.dispose();
      return model !== undefined;
    }
    case 'runtime':
      return resolveOnnxRuntime();
  }
}

async function answer(req: HostRequest): Promise<void> {
  let res: HostResponse;
  try {
    res = { id: req.id, ok: true, value: await run(req) };
  } catch (err) {
    res = { id: req.id, ok: false, error: toWire(err) };
  }
  if (process.connected) process.send!(res);
}

// Started: the runtime loads now (and its one-time set-up is paid: ./warm-up.ts, before any request
// runs, so no load's measured bytes include it), and the parent's timeouts count from here (start-up is not the file's fault).
let queue: Promise<void> = (async () => {
  try {
    ort();
    await warmUpRuntime();
  } catch {
    // no runtime here: each request answers NOT_SUPPORTED (../runtime.ts)
  }
  if (process.connected) process.send!({ ready: true });
})();
process.on('message', (req: HostRequest) => {
  queue = queue.then(() => answer(req));
});
process.on('disconnect', () => process.exit(0));
