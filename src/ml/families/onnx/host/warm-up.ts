/**
 * onnxruntime's one-time set-up in an ONNX host: the first session a process opens also builds the
 * runtime's environment (allocators, thread pools, the kernel registry), ≈27 MB of RSS with
 * onnxruntime-node 1.x on Linux x64, measured with a one-node model. A host opens such a model at
 * start so that this cost is not counted in the first real model's measured bytes (LoadedInHost).
 */
import { onnx } from 'onnx-proto';
import { openSession } from '../runtime';

/** The smallest model onnxruntime opens: `y = Identity(x)`, x and y float [1], opset 13. */
function identityModel(): Uint8Array {
  const value = (name: string): onnx.IValueInfoProto => ({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimValue: 1 }] } } } });
  return onnx.ModelProto.encode({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    graph: { name: 'warm-up', node: [{ input: ['x'], output: ['y'], opType: 'Identity' }], input: [value('x')], output: [value('y')] },
  }).finish();
}

/** Opens and releases the one-node model. Never throws: a runtime that cannot open it fails the real request instead. */
export async function warmUpRuntime(): Promise<void> {
  try {
    const session = await openSession(identityModel());
    await session.release();
  } catch {
    // answered by the first real request
  }
}
