/** Runtime messages made fit for clients (src/ml/families/onnx/servable.ts). */
import { clientMessage, saysNoOutput } from '../../src/ml/families/onnx/servable';

it('cuts onnxruntime source paths and function signatures out of a message', () => {
  const raw =
    'Exception during initialization: /onnxruntime_src/onnxruntime/core/framework/session_state_utils.cc:264 onnxruntime::common::Status ' +
    'onnxruntime::session_state_utils::SaveInitializedTensors(const onnxruntime::Env&, const std::vector<int>&) ort_value_name_idx_map.MaxIdx() > -1 was false. ' +
    'OrtValue indexes should have been populated.';
  expect(clientMessage(raw)).toBe('Exception during initialization: ort_value_name_idx_map.MaxIdx() > -1 was false. OrtValue indexes should have been populated.');
  expect(saysNoOutput(clientMessage(raw))).toBe(true);
  expect(clientMessage('[ONNXRuntimeError] : 10 : INVALID_GRAPH : Load model failed: /home/runner/work/ort/graph.cc:1470 bad node')).toBe(
    '[ONNXRuntimeError] : 10 : INVALID_GRAPH : Load model failed: bad node',
  );
  expect(clientMessage('plain message')).toBe('plain message');
});
