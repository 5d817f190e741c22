/**
 * Jest's node environment with the typed-array constructors of Node's own realm. onnxruntime-node's
 * native binding builds output tensors with the real Float32Array (etc.) and onnxruntime-common
 * checks them with `instanceof` against the test sandbox's, which fails ("A float32 tensor's data
 * must be type of function Float32Array()"); outside Jest (the server, scoring threads) there is one
 * realm. Specs that run ONNX sessions on the test's own thread name this environment in a docblock.
 */
const { TestEnvironment } = require('jest-environment-node');

const TYPED = [
  'ArrayBuffer',
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
];

class OnnxEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED) this.global[name] = globalThis[name];
  }
}

module.exports = OnnxEnvironment;
